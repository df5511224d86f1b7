"""Every upload entry point refuses hostile files of every accepted type, judged by parsing them.

The entry points are found by walking the models (every FileField of the project's own apps plus
Wagtail's document and image models), and the file types by reading the allowed-extension settings,
so a file field or an extension added later fails here until it is covered.
"""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from cms.inspection.annual_models import CASE_EVIDENCE_EXTENSIONS, AccountabilityCase
from disclosure.requests.forms import REPLY_EXTENSIONS
from disclosure.requests.models import DisclosureRequest
from newmedia import lifecycle
from newmedia.models import ACCOUNT_IMAGE_EXTENSIONS, EVENT_DOCUMENT_EXTENSIONS, AccountEvent, NewMediaAccount
from site_pages.letters.forms import ATTACHMENT_EXTENSIONS
from tests.disclosure.test_requests_clock import make_request
from tests.factories import UnitFactory
from tests.security import samples
from tests.site_pages.letters_helpers import upload_letter_attachment

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _form_errors(response, form_key, field):
    form = response.context[form_key] if isinstance(form_key, str) else form_key(response.context)
    return [str(message) for message in form.errors.get(field, [])]


def upload_document(client, name, content):
    before = Document.objects.count()
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "collection": Collection.get_first_root_node().pk, "file": SimpleUploadedFile(name, content)},
    )
    if Document.objects.count() > before:
        return True, []
    return False, _form_errors(response, "form", "file")


def upload_documents_multiple(client, name, content):
    before = Document.objects.count()
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {"collection": Collection.get_first_root_node().pk, "files[]": SimpleUploadedFile(name, content)},
    )
    data = response.json()
    return Document.objects.count() > before, [] if data["success"] else [data["error_message"]]


def upload_image(client, name, content):
    before = Image.objects.count()
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": name, "collection": Collection.get_first_root_node().pk, "file": SimpleUploadedFile(name, content)},
    )
    if Image.objects.count() > before:
        return True, []
    return False, _form_errors(response, "form", "file")


def upload_images_multiple(client, name, content):
    before = Image.objects.count()
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"collection": Collection.get_first_root_node().pk, "files[]": SimpleUploadedFile(name, content)},
    )
    data = response.json()
    return Image.objects.count() > before, [] if data["success"] else [data["error_message"]]


def upload_reply(client, name, content):
    item = make_request(date(2026, 11, 2), UnitFactory())
    response = client.post(
        reverse("disclosure_requests_admin:action", args=[item.pk, "answer"]),
        {
            "answer-on": "2026-11-20",
            "answer-outcome": "withheld",
            "answer-withholding_reason": "third_party",
            "answer-document": SimpleUploadedFile(name, content),
        },
    )
    if DisclosureRequest.objects.get(pk=item.pk).reply_document:
        return True, []
    forms = {name: form for name, _label, form in response.context["actions"]}
    return False, _form_errors(response, lambda context: forms["answer"], "document")


def _account(status):
    number = NewMediaAccount.objects.count() + 1
    return NewMediaAccount.objects.create(
        platform="wechat",
        name=f"安岳发布{number}",
        unit=UnitFactory(),
        status=status,
        verified_entity="安岳县人民政府办公室",
    )


def _account_picture_uploader(field):
    def upload(client, name, content):
        account = _account("active")
        data = {
            "name": account.name,
            "verified_entity": account.verified_entity,
            field: SimpleUploadedFile(name, content),
        }
        response = client.post(reverse("newmedia_accounts:edit", args=[account.pk]), data)
        account.refresh_from_db()
        if getattr(account, field):
            return True, []
        return False, _form_errors(response, "form", field)

    upload.__name__ = f"upload_account_{field}"
    return upload


def upload_approval_document(client, name, content):
    account = _account("applied")
    # The application has been reviewed and submitted upward, so an approval may be recorded.
    office = get_user_model().objects.filter(is_superuser=True).first()
    lifecycle.review_application(account, office)
    lifecycle.submit_for_approval(account, office)
    response = client.post(
        reverse("newmedia_accounts:action", args=[account.pk, "approve"]),
        {
            "document_number": "资府办函〔2026〕8号",
            "approved_on": "2026-11-20",
            "document": SimpleUploadedFile(name, content),
        },
    )
    if AccountEvent.objects.filter(account=account).exclude(document="").exists():
        return True, []
    return False, _form_errors(response, "form", "document")


def upload_case_evidence(client, name, content):
    form = {
        "unit": UnitFactory().pk,
        "year": "2026",
        "category": "higher_criticism",
        "date": "2026-04-02",
        "description": "市政府办公室通报批评",
        "evidence_file": SimpleUploadedFile(name, content),
    }
    response = client.post(reverse("inspection_case_create"), form)
    saved = AccountabilityCase.objects.exclude(evidence_file="").first()
    if saved is not None:
        saved.evidence_file.delete(save=False)
        saved.delete()
        return True, []
    return False, _form_errors(response, "form", "evidence_file")


# (app label, model, field) -> the admin's ways of uploading into it and the extensions it accepts.
ENTRY_POINTS = {
    ("wagtaildocs", "document", "file"): (
        (upload_document, upload_documents_multiple),
        lambda: settings.WAGTAILDOCS_EXTENSIONS,
    ),
    ("wagtailimages", "image", "file"): (
        (upload_image, upload_images_multiple),
        lambda: settings.WAGTAILIMAGES_EXTENSIONS,
    ),
    ("disclosure_requests", "disclosurerequest", "reply_document"): ((upload_reply,), lambda: REPLY_EXTENSIONS),
    ("newmedia", "newmediaaccount", "avatar"): (
        (_account_picture_uploader("avatar"),),
        lambda: ACCOUNT_IMAGE_EXTENSIONS,
    ),
    ("newmedia", "newmediaaccount", "qr_code"): (
        (_account_picture_uploader("qr_code"),),
        lambda: ACCOUNT_IMAGE_EXTENSIONS,
    ),
    ("newmedia", "accountevent", "document"): ((upload_approval_document,), lambda: EVENT_DOCUMENT_EXTENSIONS),
    ("site_pages", "messageattachment", "file"): ((upload_letter_attachment,), lambda: ATTACHMENT_EXTENSIONS),
    ("inspection", "accountabilitycase", "evidence_file"): ((upload_case_evidence,), lambda: CASE_EVIDENCE_EXTENSIONS),
}


def project_file_fields():
    base = Path(settings.BASE_DIR).resolve()
    wanted = {Document._meta.label_lower, Image._meta.label_lower}
    for model in apps.get_models():
        path = Path(model._meta.app_config.path).resolve()
        ours = path.is_relative_to(base) and ".venv" not in path.parts and "tests" not in path.relative_to(base).parts
        if not (ours or model._meta.label_lower in wanted):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield (model._meta.app_label, model._meta.model_name, field.name)


def cases():
    for key, (uploaders, extensions) in ENTRY_POINTS.items():
        for uploader in uploaders:
            for extension in extensions():
                yield pytest.param(uploader, extension, id=f"{key[1]}.{key[2]}-{uploader.__name__}-{extension}")


def test_every_file_field_is_an_enumerated_entry_point():
    assert set(project_file_fields()) == set(ENTRY_POINTS)


def test_every_accepted_extension_has_samples():
    accepted = {ext for _uploaders, extensions in ENTRY_POINTS.values() for ext in extensions()}
    assert accepted <= set(samples.CLEAN), accepted - set(samples.CLEAN)


# The verdict comes from parsing the file, before anything is stored: the SQLite run covers it.
@pytest.mark.one_database
@pytest.mark.parametrize(("uploader", "extension"), list(cases()))
def test_hostile_files_are_refused_in_chinese_and_clean_ones_pass(admin_client, uploader, extension):
    for label, content, expected in samples.hostile(extension):
        saved, errors = uploader(admin_client, f"附件.{extension}", content)
        assert not saved, f"{label} .{extension} was accepted"
        assert errors and all(CHINESE.search(message) for message in errors), (label, errors)
        if expected:
            assert any(expected in message for message in errors), (label, errors)
    saved, errors = uploader(admin_client, f"附件.{extension}", samples.CLEAN[extension]())
    assert saved, errors


@pytest.mark.one_database
@pytest.mark.parametrize("extension", ["docm", "xlsm", "pptm", "dotm"])
@pytest.mark.parametrize("uploader", [upload_document, upload_documents_multiple, upload_reply])
def test_macro_enabled_office_extensions_are_refused(admin_client, uploader, extension):
    base = {"d": "docx", "x": "xlsx", "p": "pptx"}[extension[0]]
    saved, errors = uploader(admin_client, f"附件.{extension}", samples.ooxml(base, samples.MACRO_CONTENT_TYPES[base]))
    assert not saved
    assert errors and all(CHINESE.search(message) for message in errors), errors


def test_the_hex_escaped_javascript_pdf_is_refused_with_the_script_message(admin_client):
    content = samples.hostile_pdfs()[0][1]
    assert b"/JavaScript" not in content
    saved, errors = upload_document(admin_client, "通知.pdf", content)
    assert not saved
    assert "PDF 文件包含脚本或自动执行的动作（JavaScript、启动程序等），不允许上传。" in errors


def serve(client, document):
    return client.get(reverse("wagtaildocs_serve", args=[document.pk, document.filename]))


def test_only_a_pdf_that_passed_the_check_opens_inline(admin_client):
    assert upload_document(admin_client, "通知.pdf", samples.written_pdf())[0]
    checked = Document.objects.get()
    assert serve(admin_client, checked).get("Content-Disposition", "inline").startswith("inline")

    # The same hostile file put in place without the upload form (an old upload, a restore, code).
    hostile = Document(title="旧文件", collection=Collection.get_first_root_node())
    hostile.file.save("旧文件.pdf", ContentFile(samples.hostile_pdfs()[0][1]), save=True)
    try:
        response = serve(admin_client, hostile)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
    finally:
        hostile.file.delete(save=False)
        checked.file.delete(save=False)


def test_check_documents_lets_earlier_clean_pdfs_open_inline_and_lists_hostile_ones(admin_client):
    from django.core.management import call_command

    root = Collection.get_first_root_node()
    clean = Document(title="旧的通知", collection=root)
    clean.file.save("旧的通知.pdf", ContentFile(samples.written_pdf()), save=True)
    hostile = Document(title="旧的脚本文件", collection=root)
    hostile.file.save("旧的脚本文件.pdf", ContentFile(samples.hostile_pdfs()[0][1]), save=True)
    try:
        assert serve(admin_client, clean)["Content-Disposition"].startswith("attachment")
        output = io.StringIO()
        call_command("check_documents", stdout=output)
        assert "旧的脚本文件" in output.getvalue() and "1 个 PDF 通过，1 个未通过" in output.getvalue()
        assert serve(admin_client, clean)["Content-Disposition"].startswith("inline")
        assert serve(admin_client, hostile)["Content-Disposition"].startswith("attachment")
    finally:
        clean.file.delete(save=False)
        hostile.file.delete(save=False)
