"""Response headers Django does not set by itself (Django 5.2 has no CSP support), and
the line between agent accounts and the admin pages.

Both middlewares work in an async stack (uvicorn) as in a sync one (tests' WSGI
server): a sync-only middleware would make Django hand each request to a thread.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.deprecation import MiddlewareMixin


class ContentSecurityPolicyMiddleware(MiddlewareMixin):
    """Add settings.CONTENT_SECURITY_POLICY to every response that has none."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class StaffOnlyMiddleware(MiddlewareMixin):
    """The admin pages are for staff; an agent account (an extension's user, not staff)
    reaches only its agent page, its sign-in pages and static files."""

    AGENT_PATHS = ("/agent/", "/accounts/", "/static/", "/pbx/events", "/pbx/recordings/")

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if request.path.startswith(self.AGENT_PATHS):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_staff:
            return redirect("agent:home")
        return None
