"""Django's admin shows templates read-only.

Every change to a template goes through library.save_template, which validates the
XML, holds the 10-template limit and keeps the replaced XML as a version; the admin
would bypass all three, so it may look but not add, change or delete.
"""

from django.contrib import admin
from django.http import HttpRequest

from .models import CrmTemplate, TemplateVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CrmTemplate)
class CrmTemplateAdmin(ReadOnlyAdmin):
    list_display = ("name", "key", "version", "revision", "provider", "auth_type", "updated")
    search_fields = ("name", "key", "remark")
    exclude = ("logo",)


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyAdmin):
    list_display = ("template", "revision", "created", "summary")
    list_filter = ("template",)
