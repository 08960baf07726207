from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """The project package as an app only so the page cache connects its invalidation signals at start-up."""

    name = "archive"
    verbose_name = "Archive configuration"

    def ready(self) -> None:
        from archive.cache import connect_signals

        connect_signals()
