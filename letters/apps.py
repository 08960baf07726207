from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        from letters import counts  # noqa: F401  (connects the signals that keep the public counts fresh)
