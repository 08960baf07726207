"""Snapshots of database rows, to show that something changed nothing (or restored everything)."""

from django.apps import apps


def table_rows(model) -> list[dict]:
    return list(model._base_manager.order_by("pk").values())


def full_snapshot() -> dict[str, list[dict]]:
    """Every row of every table Django knows, many-to-many tables included, by table name."""
    return {
        model._meta.db_table: table_rows(model)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed or model._meta.auto_created
    }


def archive_snapshot() -> dict[str, list[dict]]:
    """Every field of every letter, signature, organization, alias and demand, and the links between them."""
    from letters.models import Demand, Letter, LetterSlug, Signature, Theme
    from organizations.models import Alias, Organization, OrganizationSlug

    models = [Letter, Signature, Organization, Alias, Demand, Theme, LetterSlug, OrganizationSlug]
    snapshot = {model._meta.db_table: table_rows(model) for model in models}
    for through in (Letter.addressees.through, Demand.themes.through):
        # A many-to-many row's own id means nothing: the pair it links is the data.
        snapshot[through._meta.db_table] = sorted(
            tuple(row.values())
            for row in through.objects.order_by().values(*[f.attname for f in through._meta.fields if f.name != "id"])
        )
    for row in snapshot[Letter._meta.db_table]:
        # Derived and rebuilt on restore; on PostgreSQL its text form is compared instead.
        row["search_vector"] = str(row["search_vector"]) if row["search_vector"] is not None else None
        # A new value at every recount, a restore's included (letters.counts): not data.
        del row["signatures_revision"]
    return snapshot
