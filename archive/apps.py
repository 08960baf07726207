from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """The project package as an app, so that at start-up the page cache connects its invalidation signals and
    the project's own lookups (archive/lookups.py: `field__any=`) are registered."""

    name = "archive"
    verbose_name = "Archive configuration"

    def ready(self) -> None:
        from archive.cache import connect_signals
        from archive.lookups import register_lookups

        connect_signals()
        register_lookups()
