from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """The project package as an app, so that at start-up the page cache connects its invalidation signals, the
    project's own lookups (archive/lookups.py: `field__any=`) are registered, and PostgreSQL sessions get their
    planner setting (settings.RANDOM_PAGE_COST)."""

    name = "archive"
    verbose_name = "Archive configuration"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from archive.cache import connect_signals
        from archive.lookups import register_lookups

        connect_signals()
        register_lookups()
        connection_created.connect(_plan_for_ssd)


def _plan_for_ssd(sender, connection, **kwargs) -> None:
    """A session SET rather than a startup option, which connection poolers such as PgBouncer refuse by default."""
    from django.conf import settings

    if connection.vendor == "postgresql" and settings.RANDOM_PAGE_COST:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('random_page_cost', %s, false)", [settings.RANDOM_PAGE_COST])
