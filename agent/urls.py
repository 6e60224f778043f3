"""The agent's live page (mounted at /agent/), apart from the admin pages."""

from django.urls import path

from . import views

app_name = "agent"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:number>/", views.page, name="page"),
    path("<str:number>/stream", views.stream, name="stream"),
    path("<str:number>/calls/<int:call_pk>/create-contact", views.create_contact, name="create_contact"),
]
