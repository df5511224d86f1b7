"""Every way into a session ends at the second factor for those who need one (hardening issue §1).

The login routes are found by walking the URL resolver, so a login view added later is covered too.
"""

import pytest
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cms.security import login as security_login
from tests.factories import PASSWORD, log_in, member

pytestmark = pytest.mark.usefixtures("shared_portal")

NEW_PASSWORD = "Neu-Passw0rt-2026!"  # noqa: S105
SECOND_FACTOR = ("security_otp_verify", "security_otp_enrol")


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def routes_of(view_base):
    """Every URL path whose pattern serves a subclass of ``view_base``."""
    found = [
        route
        for route, pattern in walk(get_resolver().url_patterns)
        if issubclass(getattr(pattern.callback, "view_class", type(None)), view_base)
    ]
    assert found, view_base
    return found


def second_factor_urls():
    return {reverse(name) for name in SECOND_FACTOR}


def assert_no_admin(client):
    response = client.get("/admin/")
    assert response.status_code != 200
    assert "_auth_user_id" not in client.session


@pytest.fixture
def reviewer(township_a):
    return member(township_a, "head", username="shenhe")


@pytest.fixture
def editor(township_a):
    return member(township_a, "info_officer", username="bianji")


def test_every_login_route_is_the_projects_login(db):
    for route in routes_of(auth_views.LoginView):
        view = resolve(f"/{route}").func.view_class
        assert issubclass(view, security_login.SecondFactorLoginMixin), route


@pytest.mark.parametrize("setting", ["WAGTAIL_FRONTEND_LOGIN_URL", "LOGIN_URL"])
def test_the_configured_login_urls_are_the_projects_login(settings, setting):
    url = resolve_url(getattr(settings, setting, None) or "wagtailcore_login")
    assert issubclass(resolve(url).func.view_class, security_login.SecondFactorLoginMixin), setting


@pytest.mark.parametrize("route", routes_of(auth_views.LoginView))
def test_every_login_route_hands_a_reviewer_to_the_second_factor(client, reviewer, route):
    response = client.post(f"/{route}", {"username": reviewer.username, "password": PASSWORD})
    assert response.status_code == 302, route
    assert response["Location"] in second_factor_urls(), route
    assert_no_admin(client)


@pytest.mark.parametrize("route", routes_of(auth_views.LoginView))
def test_every_login_route_signs_an_ordinary_user_in(client, editor, route):
    response = client.post(f"/{route}?next=/search/", {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302, route
    assert response["Location"] == "/search/"
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_password_only_session_from_elsewhere_is_sent_to_the_second_factor(client, reviewer):
    # Client.login is django.contrib.auth.login without any of the project's steps.
    assert client.login(username=reviewer.username, password=PASSWORD)
    response = client.get("/admin/pages/")
    assert response["Location"] == reverse("security_otp_enrol")
    assert client.session[security_login.PENDING_KEY]["next"] == "/admin/pages/"
    assert_no_admin(client)


def test_a_password_only_session_of_an_enrolled_user_is_sent_to_verify(client, reviewer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=reviewer, name="身份验证器", confirmed=True)
    assert client.login(username=reviewer.username, password=PASSWORD)
    response = client.get("/search/")
    assert response["Location"] == reverse("security_otp_verify")
    assert_no_admin(client)


def test_a_verified_session_keeps_working(client, reviewer):
    log_in(client, reviewer)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("route", routes_of(auth_views.PasswordResetConfirmView))
def test_password_reset_completion_does_not_skip_the_second_factor(client, reviewer, route):
    uid = urlsafe_base64_encode(force_bytes(reviewer.pk))
    token = default_token_generator.make_token(reviewer)
    url = "/" + route.replace("<uidb64>", uid).replace("<token>", token)
    set_password = client.get(url)
    assert set_password.status_code == 302
    response = client.post(set_password["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.check_password(NEW_PASSWORD)
    assert_no_admin(client)
    response = client.post(reverse("wagtailadmin_login"), {"username": reviewer.username, "password": NEW_PASSWORD})
    assert response["Location"] in second_factor_urls()
