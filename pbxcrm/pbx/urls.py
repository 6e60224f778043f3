"""The PBX side's pages (mounted at /pbx/)."""

from django.urls import path

from . import views

app_name = "pbx"

urlpatterns = [
    path("extensions/", views.extension_list, name="extensions"),
    path("extensions/add/", views.extension_edit, name="extension_add"),
    path("extensions/import/", views.extension_import, name="extension_import"),
    path("extensions/<int:pk>/", views.extension_edit, name="extension_edit"),
    path("extensions/<int:pk>/delete/", views.extension_delete, name="extension_delete"),
    path("phonebooks/", views.phonebook_list, name="phonebooks"),
    path("events", views.events, name="events"),
    path("settings/", views.pbx_settings, name="settings"),
    path("recordings/<str:token>/", views.recording, name="recording"),
    path("phonebooks/<int:pk>/delete/", views.phonebook_delete, name="phonebook_delete"),
]
