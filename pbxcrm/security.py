"""Response headers Django does not set by itself (Django 5.2 has no CSP support)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Add settings.CONTENT_SECURITY_POLICY to every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class StaffOnlyMiddleware:
    """The admin pages are for staff; an agent account (an extension's user, not staff)
    reaches only its agent page, its sign-in pages and static files."""

    AGENT_PATHS = ("/agent/", "/accounts/", "/static/", "/pbx/events", "/pbx/recordings/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not user.is_staff
                and not request.path.startswith(self.AGENT_PATHS)):
            from django.shortcuts import redirect

            return redirect("agent:home")
        return self.get_response(request)
