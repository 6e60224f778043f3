"""Integrations › CRM (mounted at /integrations/crm/, beside Template Management)."""

from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("", views.crm_list, name="crm"),
    path("<int:pk>/", views.integration_page, name="integration"),
    path("<int:pk>/disconnect/", views.disconnect, name="disconnect"),
    path("<int:pk>/lookup/", views.try_lookup, name="try_lookup"),
    path("templates/<int:pk>/apply/", views.apply, name="apply"),
]
