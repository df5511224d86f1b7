"""Who answered, without a login: a random token in a long-lived HttpOnly, SameSite cookie.

The stored key is an HMAC of the token and the survey, so the database never holds the token itself and one
visitor's answers to two surveys cannot be linked. Clearing cookies gives a new visitor; the captcha and the
per-address rate limit bound how often that pays.
"""

import re
import secrets

from django.utils.crypto import salted_hmac

COOKIE_NAME = "survey_visitor"
COOKIE_AGE = 2 * 365 * 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def visitor_token(request):
    """The request's token, or None when it carries none (or something that is not one of ours)."""
    token = request.COOKIES.get(COOKIE_NAME, "")
    return token if _TOKEN.match(token) else None


def new_token():
    return secrets.token_urlsafe(32)


def visitor_key(survey, token):
    return salted_hmac("site_pages.surveys.visitor", f"{survey.pk}:{token}", algorithm="sha256").hexdigest()


def set_cookie(response, request, token):
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
