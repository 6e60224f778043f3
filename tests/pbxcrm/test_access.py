"""Every page needs a signed-in user; sign-in and sign-out work in the portal's look."""

import pytest
from django.urls import reverse

from tests.conftest import ADMIN_PASSWORD

PAGES = [
    ("integrations:crm", []),
    ("templates_app:list", []),
    ("templates_app:upload", []),
    ("templates_app:download", []),
    ("templates_app:delete", []),
    ("templates_app:detail", [1]),
    ("templates_app:logo", [1]),
    ("templates_app:xml", [1]),
    ("templates_app:xml_check", [1]),
    ("templates_app:version", [1, 1]),
    ("integrations:apply", [1]),
    ("integrations:integration", [1]),
    ("integrations:disconnect", [1]),
    ("integrations:try_lookup", [1]),
    ("integrations:sync_users", [1]),
    ("integrations:features", [1]),
    ("integrations:reauthorize", [1]),
    ("integrations:oauth_callback", []),
    ("integrations:oauth_continue", []),
    ("integrations:users_progress", [1]),
    ("integrations:associate_auto", [1]),
    ("integrations:associate_manual", [1, 1]),
    ("pbx:extensions", []),
    ("pbx:extension_add", []),
    ("pbx:extension_import", []),
    ("pbx:extension_edit", [1]),
    ("pbx:extension_delete", [1]),
    ("pbx:phonebooks", []),
    ("pbx:phonebook_delete", [1]),
    ("templates_app:add", []),
    ("templates_app:edit", [1]),
    ("templates_app:check_field", []),
    ("password_change", []),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, name, args, method):
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
def test_the_home_page_leads_to_the_crm_list(client_logged_in):
    assert client_logged_in.get("/")["Location"] == reverse("integrations:crm")


def test_signing_in_with_the_right_password_opens_the_crm_list(client, admin_user):
    response = client.post(reverse("login"), {"username": "admin", "password": ADMIN_PASSWORD})
    assert response["Location"] == reverse("integrations:crm")


def test_signing_in_with_a_wrong_password_says_so(client, admin_user):
    response = client.post(reverse("login"), {"username": "admin", "password": "nope"})
    assert b"didn't match" in response.content


@pytest.mark.django_db
def test_the_sign_in_page_carries_a_csrf_token(client):
    assert b'name="csrfmiddlewaretoken"' in client.get(reverse("login")).content


def test_signing_out_ends_the_session(client_logged_in):
    client_logged_in.post(reverse("logout"))
    assert client_logged_in.get(reverse("templates_app:list")).status_code == 302


def test_pages_show_the_signed_in_user_and_a_log_out_button(client_logged_in):
    content = client_logged_in.get(reverse("integrations:crm")).content.decode()
    assert "admin" in content and f'action="{reverse("logout")}"' in content


@pytest.mark.django_db
def test_static_files_are_served_without_signing_in(client):
    response = client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200


@pytest.mark.django_db
def test_responses_carry_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_signed_in_user_can_change_their_password(client_logged_in, admin_user):
    response = client_logged_in.post(
        reverse("password_change"),
        {
            "old_password": ADMIN_PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    admin_user.refresh_from_db()
    assert admin_user.check_password("a-new-long-passphrase")
