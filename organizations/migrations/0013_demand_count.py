from django.db import migrations, models
from django.db.models import F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    """The same count as letters.counts.organization_counts, with the models as this migration knows them."""
    Organization = apps.get_model("organizations", "Organization")
    Demand = apps.get_model("letters", "Demand")
    made = (
        Demand.objects.filter(target=OuterRef("pk"), letter__status="published")
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    # Only the demands' targets: the rest keep the new column's 0, and 200,000 rows are not rewritten for 20.
    targets = Organization.objects.filter(pk__in=Demand.objects.values("target"))
    targets.update(demand_count=Coalesce(Subquery(made, output_field=IntegerField()), Value(0)))


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0008_letter_signatory_list"),
        ("organizations", "0012_organization_cosigners"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="demand_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="Demands made of it in published letters."
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
