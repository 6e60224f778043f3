"""Integrations › CRM (mounted at /integrations/crm/, beside Template Management)."""

from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("", views.crm_list, name="crm"),
    path("templates/<int:pk>/apply/", views.apply, name="apply"),
]
