from django.db import migrations, models


def fill(apps, schema_editor):
    """The same list as letters.counts.public_totals, with the models as this migration knows them."""
    PublicTotals = apps.get_model("letters", "PublicTotals")
    Organization = apps.get_model("organizations", "Organization")
    addressees = (
        Organization.objects.filter(is_public=True, letters_addressed__gt=0)
        .order_by("-letters_addressed", "name", "pk")
        .values("name", "slug")[:12]
    )
    PublicTotals.objects.filter(pk=1).update(addressees=list(addressees))


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0008_letter_signatory_list"),
        ("organizations", "0013_demand_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="publictotals",
            name="addressees",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
