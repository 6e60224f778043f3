import warnings

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "CRM integrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # authlib 1.9 announces that its httpx client will move to an "httpx2" package
        # that does not exist yet; the client works. Importing authlib.deprecate sets its
        # warnings to "always", so the filter that silences this one notice comes after.
        import authlib.deprecate  # noqa: F401

        warnings.filterwarnings("ignore", message="The httpx module is deprecated")
