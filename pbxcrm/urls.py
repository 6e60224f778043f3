"""The portal's URLs: sign-in, Integrations › CRM and Template Management."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="integrations:crm", permanent=False), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Django's admin, for superusers: the raw tables (e.g. integrations before their setup pages exist).
    path("admin/", admin.site.urls),
    path("integrations/crm/", include("integrations.urls")),
    path("integrations/crm/", include("templates_app.urls")),
    path("pbx/", include("pbxcrm.pbx.urls")),
    path("agent/", include("agent.urls")),
]
