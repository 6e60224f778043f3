from django.apps import AppConfig


class AgentConfig(AppConfig):
    """The agent's live page: popups for one extension, apart from the admin pages."""

    name = "agent"
    default_auto_field = "django.db.models.BigAutoField"
