"""CSRF protection and API authentication on every URL pattern.

Django checks the CSRF token of every unsafe request unless a view is marked ``csrf_exempt``; the only
exempt views are Django REST framework's, which check the token themselves through session
authentication. A REST framework view that also accepted HTTP Basic credentials would be a login path
without lockout or second factor, so every API view must authenticate by the session alone.
"""

import base64

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from tests.factories import PASSWORD, log_in, member


def patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def api_view_class(pattern: URLPattern):
    cls = getattr(pattern.callback, "cls", None)
    return cls if isinstance(cls, type) and issubclass(cls, APIView) else None


EXEMPT = [(route, pattern) for route, pattern in patterns() if getattr(pattern.callback, "csrf_exempt", False)]
API = [(route, api_view_class(pattern)) for route, pattern in patterns() if api_view_class(pattern)]


def test_the_walk_finds_the_admin_api():
    assert any(route.startswith("admin/api/") for route, _cls in API)


@pytest.mark.parametrize(("route", "pattern"), EXEMPT, ids=[route for route, _pattern in EXEMPT])
def test_only_api_views_skip_djangos_csrf_check(route, pattern):
    cls = api_view_class(pattern)
    assert cls is not None, f"{route} is csrf_exempt and not a REST framework view that checks the token itself"


@pytest.mark.parametrize(("route", "cls"), API, ids=[route for route, _cls in API])
def test_api_views_authenticate_by_session_only(route, cls):
    authenticators = cls().get_authenticators()
    assert authenticators, route
    assert all(type(a) is SessionAuthentication for a in authenticators), (route, authenticators)


def test_basic_credentials_do_not_open_the_admin_api(client, township_a):
    reviewer = member(township_a, "head", username="basic_head")
    credentials = base64.b64encode(f"{reviewer.username}:{PASSWORD}".encode()).decode()
    response = client.get("/admin/api/main/documents/", HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert response.status_code in (302, 401, 403)


def test_admin_api_action_needs_the_csrf_token(township_a, admin_user, home):
    from django.test import Client

    client = log_in(Client(enforce_csrf_checks=True), admin_user)
    response = client.post(f"/admin/api/main/pages/{home.pk}/action/copy/", {}, content_type="application/json")
    assert response.status_code == 403


def test_public_form_refuses_a_post_without_the_token(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("search"), {"q": "x"})
    assert response.status_code in (403, 405)
