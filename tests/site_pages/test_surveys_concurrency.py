"""Two answers from one visitor submitted at the same moment store one (PostgreSQL, real connections)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from disclosure.requests.forms import CAPTCHA_SESSION_KEY
from site_pages.models import SurveyResponse
from site_pages.surveys import visitor
from tests.site_pages.test_surveys import SINGLE, form_url, make_survey

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL; CI runs this on it"
    ),
]


def test_two_simultaneous_answers_of_one_visitor_store_one(portal):
    survey = make_survey(portal["a"])
    first = Client()
    first.get(form_url(survey))
    token = first.cookies[visitor.COOKIE_NAME].value
    second = Client()
    second.cookies[visitor.COOKIE_NAME] = token  # the same browser, a second tab with its own captcha
    second.get(form_url(survey))
    barrier = threading.Barrier(2)
    statuses = []

    def submit(client):
        data = {f"q_{SINGLE}": "满意", "captcha": client.session[CAPTCHA_SESSION_KEY]}
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(form_url(survey), data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(client,)) for client in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [302, 409], statuses
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
