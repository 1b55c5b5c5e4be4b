from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Keamanan"

    def ready(self):
        from . import signals  # noqa: F401  (connects the login/logout/lockout log handlers)
