"""Template Management (mounted at /integrations/crm/, beside integrations.urls)."""

from django.urls import include, path

from . import views

app_name = "templates_app"

urlpatterns = [
    path("templates/", views.template_list, name="list"),
    path("templates/upload/", views.upload, name="upload"),
    path("templates/download/", views.download, name="download"),
    path("templates/delete/", views.delete, name="delete"),
    path("templates/<int:pk>/", views.detail, name="detail"),
    path("templates/<int:pk>/logo/", views.logo, name="logo"),
    path("templates/<int:pk>/xml/", views.xml_view, name="xml"),
    path("templates/<int:pk>/xml/check/", views.xml_check, name="xml_check"),
    path("templates/<int:pk>/versions/<int:version_pk>/", views.version, name="version"),
    # The Add/Edit form (templates_app/editor/): names "add", "edit" (pk), "check_field".
    path("templates/", include("templates_app.editor.urls")),
]
