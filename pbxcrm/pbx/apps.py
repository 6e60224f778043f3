from django.apps import AppConfig


class PbxConfig(AppConfig):
    """The PBX side of the portal (call events, phonebooks); for now its Celery tasks."""

    name = "pbxcrm.pbx"
    label = "pbx"
    verbose_name = "PBX"
