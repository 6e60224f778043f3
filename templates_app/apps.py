from django.apps import AppConfig


class TemplatesAppConfig(AppConfig):
    name = "templates_app"
    verbose_name = "CRM integration templates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The engine is plain Python: it learns the portal's limits here, once.
        from django.conf import settings

        from templates_app import gotemplate

        gotemplate.configure(**settings.RENDER_LIMITS)
