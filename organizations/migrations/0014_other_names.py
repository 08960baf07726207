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
    # Sorted as letters.counts.organization_names sorts them: case-insensitively, then as written.
    stored = [
        Organization(pk=pk, other_names=sorted(found, key=lambda name: (name.casefold(), name)))
        for pk, found in others.items()
    ]
    Organization.objects.bulk_update(stored, ["other_names"], batch_size=2000)


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
