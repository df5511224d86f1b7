"""A document is served to whoever may see a live page that uses it, and to editors who may use it."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from tests.factories import log_in, make_content, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]


def attach(page, title, publish=True):
    document = get_document_model()(title=title)
    document.file.save(f"{title}.docx", ContentFile(b"PK\x03\x04 docx"), save=False)
    document.save()
    page.body = [("attachment", {"document": document, "title": title})]
    revision = page.save_revision()
    if publish:
        revision.publish()
    return document


def status(client, document):
    return client.get(document.url).status_code


def test_public_live_page_lends_its_documents_to_everyone(client, portal):
    document = attach(make_content(portal["a"], title="公开"), "公开附件")
    assert status(client, document) == 200


def test_a_drafts_attachment_is_only_for_editors_who_may_use_it(client, portal, admin_user):
    document = attach(make_content(portal["a"], title="草稿", publish=False), "草稿附件", publish=False)
    assert status(client, document) == 404
    log_in(client, admin_user)
    assert status(client, document) == 200


def test_a_password_protected_page_lends_its_documents_only_after_the_password(client, portal):
    page = make_content(portal["a"], title="内部通知")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="安岳2026")
    document = attach(page, "内部附件")
    assert status(client, document) == 404
    form_url = client.get(page.url).context["action_url"]
    client.post(form_url, {"password": "安岳2026", "return_url": page.url})
    assert status(client, document) == 200


def test_a_sign_in_restriction_above_the_page_applies_to_its_documents(client, portal, township_b):
    PageViewRestriction.objects.create(page=portal["a"], restriction_type=PageViewRestriction.LOGIN)
    document = attach(make_content(portal["a"], title="登录可见"), "登录附件")
    assert status(client, document) == 404
    log_in(client, member(township_b, "info_officer", username="lt_reader"))
    assert status(client, document) == 200


def test_one_public_use_is_enough(client, portal):
    restricted = make_content(portal["b"], title="受限")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    document = attach(restricted, "共用附件")
    assert status(client, document) == 404
    public = make_content(portal["a"], title="公开转载")
    public.body = [("attachment", {"document": document, "title": "共用附件"})]
    public.save_revision().publish()
    assert status(client, document) == 200
