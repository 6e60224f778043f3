"""Integrations › CRM (mounted at /integrations/crm/, beside Template Management)."""

from django.urls import path

from . import calls_views, views

app_name = "integrations"

urlpatterns = [
    path("", views.crm_list, name="crm"),
    path("oauth/callback/", views.oauth_callback, name="oauth_callback"),
    path("oauth/continue/", views.oauth_continue, name="oauth_continue"),
    path("<int:pk>/", views.integration_page, name="integration"),
    path("<int:pk>/disconnect/", views.disconnect, name="disconnect"),
    path("<int:pk>/reauthorize/", views.reauthorize, name="reauthorize"),
    path("<int:pk>/lookup/", views.try_lookup, name="try_lookup"),
    path("<int:pk>/features/", views.save_features, name="features"),
    path("<int:pk>/users/sync/", views.sync_users, name="sync_users"),
    path("<int:pk>/users/progress/", views.users_progress, name="users_progress"),
    path("<int:pk>/users/associate/", views.associate_automatically, name="associate_auto"),
    path("<int:pk>/users/<int:user_pk>/", views.associate_manually, name="associate_manual"),
    path("templates/<int:pk>/apply/", views.apply, name="apply"),
    path("calls/", calls_views.call_list, name="calls"),
    path("calls/<int:pk>/", calls_views.call_detail, name="call"),
    path("journals/<int:pk>/<str:action>/", calls_views.journal_action, name="journal_action"),
]
