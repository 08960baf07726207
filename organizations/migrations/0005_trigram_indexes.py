"""PostgreSQL only: trigram (pg_trgm) GIN indexes for the organization search (`/organizations/?q=`), whose
`name ILIKE '%...%'` and alias lookups otherwise scan every row. Nothing happens on SQLite."""

from django.db import migrations

INDEXES = {
    # /organizations/?q= and the API's organizations `q`: name contains the text.
    "org_name_trgm_idx": ("organizations_organization", "name"),
    # The same search through other names (aliases that are not letter spellings).
    "alias_name_trgm_idx": ("organizations_alias", "name"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0004_history"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
