"""PostgreSQL only: the organization search's trigram indexes, on the expression Django's `icontains` filters by.

`name__icontains` is `UPPER(name::text) LIKE UPPER('%...%')` on PostgreSQL, which the indexes of 0005 (on the bare
column) never served: every search scanned the table. Nothing happens on SQLite.
"""

from django.db import migrations

OLD = ("org_name_trgm_idx", "alias_name_trgm_idx")
INDEXES = {
    # /organizations/?q= and the API's organizations `q`: name or acronym contains the text.
    "org_name_upper_trgm_idx": ("organizations_organization", "name"),
    "org_acronym_upper_trgm_idx": ("organizations_organization", "acronym"),
    # The same search through other names, printed spellings among them.
    "alias_name_upper_trgm_idx": ("organizations_alias", "name"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, (table, column) in zip(OLD, [("organizations_organization", "name"), ("organizations_alias", "name")]):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0006_public_counts"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
