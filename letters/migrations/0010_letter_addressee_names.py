from django.db import migrations, models


def fill(apps, schema_editor):
    """The same lists as letters.counts.addressee_names, with the models as this migration knows them."""
    Letter = apps.get_model("letters", "Letter")
    names: dict[int, list[str]] = {}
    links = Letter.addressees.through.objects.order_by("letter_id", "organization__name")
    for letter_id, name in links.values_list("letter_id", "organization__name").iterator(chunk_size=5000):
        names.setdefault(letter_id, []).append(name)
    Letter.objects.bulk_update(
        [Letter(pk=pk, addressee_names=found) for pk, found in names.items()], ["addressee_names"], batch_size=2000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0009_public_totals_addressees"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="addressee_names",
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
