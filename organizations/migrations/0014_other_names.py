from django.db import migrations, models


def fill(apps, schema_editor):
    """The same list as letters.counts.organization_names, with the models as this migration knows them."""
    Organization = apps.get_model("organizations", "Organization")
    Alias = apps.get_model("organizations", "Alias")
    Signature = apps.get_model("letters", "Signature")
    own = dict(Organization.objects.values_list("pk", "name").iterator(chunk_size=5000))
    curated = Alias.objects.exclude(source="letter").values_list("organization_id", "name")
    spellings = (
        Signature.objects.filter(withheld=False, letter__status="published")
        .order_by("organization_id", "listed_as")
        .values_list("organization_id", "listed_as")
        .distinct()
    )
    others: dict[int, set[str]] = {}
    for pk, spelling in [*curated.iterator(chunk_size=5000), *spellings.iterator(chunk_size=5000)]:
        if spelling != own[pk]:
            others.setdefault(pk, set()).add(spelling)
    Organization.objects.bulk_update(
        [Organization(pk=pk, other_names=sorted(names)) for pk, names in others.items()], ["other_names"], batch_size=2000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0009_public_totals_addressees"),
        ("organizations", "0013_demand_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="other_names",
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
