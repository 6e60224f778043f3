"""Routes of the template editor; included by templates_app/urls.py (app_name "templates_app")."""

from django.urls import path

from . import views

urlpatterns = [
    path("add/", views.add_template, name="add"),
    path("<int:pk>/edit/", views.edit_template, name="edit"),
    path("check-field/", views.check_field, name="check_field"),
]
