from django.apps import AppConfig


class PbxConfig(AppConfig):
    """The PBX side of the portal: extensions, phonebooks, and (next) call events."""

    name = "pbxcrm.pbx"
    label = "pbx"
    verbose_name = "PBX"
