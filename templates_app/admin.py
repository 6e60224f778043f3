from django.contrib import admin

from .models import CrmTemplate, TemplateVersion


@admin.register(CrmTemplate)
class CrmTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "version", "provider", "auth_type", "updated")
    search_fields = ("name", "key", "remark")
    readonly_fields = ("created", "updated")
    exclude = ("logo",)


@admin.register(TemplateVersion)
class TemplateVersionAdmin(admin.ModelAdmin):
    list_display = ("template", "created", "summary")
    list_filter = ("template",)
