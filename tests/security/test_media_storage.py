"""The site works with media in a storage that has no local path (MEDIA_STORAGE=s3, docs/deployment.md).

The default storage is replaced by Django's InMemoryStorage without path(), as a bucket has none: uploads
through the admin, the document serve view with its access rules, image renditions and their addresses,
the demo seed, the static export, backups, the checks that read files, and every model file field.
"""

import ast
import io
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import FileField
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.mediastorage import is_local
from cms.security.backup import BackupError, check_roots
from cms.security.models import CheckedPdf
from cms.security.retention import PurgeResult
from cms.security.storage_roots import storage_roots
from site_pages.mirror.export import export_static
from site_pages.models import ArticlePage
from site_pages.models.letters import MessageAttachment
from tests.factories import log_in, make_content, member
from tests.organisation.test_collections import attachment_body
from tests.security.pathless_storage import PathlessStorage
from tests.security.test_uploads import PDF, png_bytes, upload_document, upload_image
from tests.site_pages.letters_support import make_board, make_letter
from workflows.checks.attachments import extract_document_text

Document = get_document_model()
Image = get_image_model()
ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("cms", "site_pages", "disclosure", "newmedia", "workflows")
# Modules that may name MEDIA_ROOT: the settings, the development server's media URL (DEBUG only) and the
# backup, which copies the directory only when the default storage is one (cms.mediastorage.is_local).
MEDIA_ROOT_READERS = {"cms/public_urls.py", "cms/security/storage_roots.py", "cms/security/backup.py"}
# path() calls that handle a storage without one: retention falls back to the name, the export's static files
# are never in the media storage and fall back to the finders.
PATH_CALLERS = {"cms/security/retention.py", "site_pages/mirror/export.py"}


@pytest.fixture
def remote_media(settings, tmp_path):
    """The default storage without a file system, as a bucket is; settings' teardown restores the disk.

    MEDIA_ROOT is an empty directory, so that code still reading it finds nothing, not other tests' files;
    nothing may be written there.
    """
    settings.MEDIA_ROOT = tmp_path / "media-unused"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.security.pathless_storage.PathlessStorage"}}
    assert not is_local(default_storage)
    with pytest.raises(NotImplementedError):
        default_storage.path("documents/any.pdf")
    yield default_storage
    assert not settings.MEDIA_ROOT.exists()


def _read(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def _serve_url(document):
    return reverse("wagtaildocs_serve", args=(document.pk, document.filename))


def _image(title="远程图片"):
    image = Image(title=title)
    image.file = ImageFile(io.BytesIO(png_bytes()), name=f"{title}.png")
    image.save()
    return image


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and not model._meta.abstract:
                yield model, field


@pytest.mark.django_db
def test_every_model_file_field_writes_and_reads_back_without_a_path(remote_media, monkeypatch):
    fields = list(_file_fields())
    assert {(model, field.name) for model, field in fields} >= {(Document, "file"), (Image, "file")}
    for model, field in fields:
        # Fields on the default storage use the in-memory one now; the private storages (letters, replies,
        # evidence) are swapped too, so that the field's own code (upload_to, FieldFile) is what is tested.
        if field.storage is not default_storage:
            monkeypatch.setattr(field, "storage", PathlessStorage())
        instance = model()
        content = png_bytes() if field.get_internal_type() == "ImageField" or model is Image else PDF
        getattr(instance, field.attname).save(
            "样本.png" if content != PDF else "样本.pdf", ContentFile(content), save=False
        )
        stored = getattr(instance, field.attname)
        label = f"{model._meta.label}.{field.name}"
        assert field.storage.exists(stored.name), label
        with stored.open("rb") as handle:
            assert handle.read() == content, label
        with pytest.raises(NotImplementedError):
            stored.path  # noqa: B018 - the property raises for a storage without paths


@pytest.mark.django_db
def test_uploads_through_the_admin_land_in_the_storage_and_documents_serve_with_their_rules(
    remote_media, admin_client, portal
):
    visitor = Client()
    assert upload_document(admin_client, "通知.pdf", PDF).status_code == 302
    assert upload_image(admin_client, "照片.png", png_bytes()).status_code == 302
    document, image = Document.objects.get(), Image.objects.get()
    assert _read(document.file.name) == PDF
    assert _read(image.file.name) == png_bytes()
    assert (image.width, image.height) == (4, 4)
    # No live page uses it: the public is refused, the uploader may download it.
    assert visitor.get(_serve_url(document)).status_code == 404
    response = admin_client.get(_serve_url(document))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    page = make_content(portal["a"], title="远程附件")
    page.body = attachment_body(document)
    page.save_revision().publish()
    response = visitor.get(_serve_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert int(response["Content-Length"]) == len(PDF)
    # The upload check recorded the PDF, so it opens in the browser (cms.security.docserve).
    assert response["Content-Disposition"].startswith("inline")


@pytest.mark.django_db
def test_renditions_are_made_from_and_served_out_of_the_storage(remote_media, client):
    image = _image()
    rendition = image.get_rendition("fill-2x2")
    assert rendition.url == f"{django_settings.MEDIA_URL}{rendition.file.name}"
    assert rendition.file.name.startswith("images/")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _read(rendition.file.name)
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    # Originals and documents are never published under /media/, nor reached by leaving images/.
    for address in (
        f"{django_settings.MEDIA_URL}{image.file.name}",
        f"{django_settings.MEDIA_URL}images/../{image.file.name}",
        f"{django_settings.MEDIA_URL}images/missing.png",
    ):
        assert client.get(address).status_code == 404, address


@pytest.mark.django_db
def test_checks_that_read_files_read_them_through_the_storage(remote_media):
    text = Document(title="说明")
    text.file.save("说明.txt", ContentFile("乡镇政务公开说明".encode()), save=False)
    text.save()
    assert extract_document_text(text) == "乡镇政务公开说明"
    pdf = Document(title="旧文件")
    pdf.file.save("旧文件.pdf", ContentFile(PDF), save=False)
    pdf.save()
    output = io.StringIO()
    call_command("check_documents", stdout=output)
    assert "1 个 PDF 通过" in output.getvalue()
    assert CheckedPdf.objects.exists()


@pytest.mark.django_db
def test_private_files_download_and_purge_through_a_storage_without_paths(monkeypatch, client, township_b):
    """The private roots stay directories, but their views use the storage API alone (letters' attachments)."""
    field = MessageAttachment._meta.get_field("file")
    monkeypatch.setattr(field, "storage", PathlessStorage())
    letter = make_letter(make_board(township_b))
    attachment = letter.attachments.create(
        file=ContentFile(b"%PDF-1.4 photo", name="photo.pdf"), original_name="照片.pdf", size=14
    )
    log_in(client, member(township_b, "head"))
    response = client.get(reverse("letters_admin:attachment", args=[letter.pk, attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 photo"
    result = PurgeResult(records=[]).delete_files([(attachment.file.storage, attachment.file.name)])
    assert result.files_deleted == 1 and not field.storage.exists(attachment.file.name)


def test_a_purge_names_a_file_it_could_not_delete_without_a_path(remote_media):
    class Refusing(PathlessStorage):
        def delete(self, name):
            raise PermissionError(name)

    result = PurgeResult(records=[]).delete_files([(Refusing(), "letters/2026/附件.pdf")])
    assert result.leftovers == ["letters/2026/附件.pdf"] and result.files_deleted == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backups_leave_media_in_a_bucket_to_the_bucket(remote_media, settings, tmp_path):
    settings.SECURITY_BACKUP_DIR = tmp_path / "backups"
    _image("备份图片")
    assert "MEDIA_ROOT" not in storage_roots()
    output = io.StringIO()
    call_command("backup", stdout=output)
    assert "不在本备份内" in output.getvalue()
    (archive,) = (tmp_path / "backups").glob("*.tar.gz")
    with tarfile.open(archive) as opened:
        assert not [name for name in opened.getnames() if name.startswith("media/")]


def test_an_archive_holding_media_is_not_restored_over_a_bucket(remote_media):
    with pytest.raises(BackupError, match="MEDIA_ROOT"):
        check_roots({"roots": {"MEDIA_ROOT": "media"}})


@pytest.mark.slow
@pytest.mark.one_database  # the storage is the subject, not the database (as tests/site_pages/test_export_static.py)
@pytest.mark.django_db
def test_demo_seed_and_static_export_with_media_in_the_storage(remote_media, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    assert Image.objects.exists()
    assert all(default_storage.exists(image.file.name) for image in Image.objects.all())
    document = Document(title="镜像附件")
    document.file.save("镜像附件.pdf", ContentFile(PDF), save=False)
    document.save()
    article = ArticlePage.objects.live().public().first()
    article.body.append(("attachment", {"document": document, "title": document.title}))
    article.save_revision().publish()

    summary = export_static(tmp_path / "mirror")
    assert not summary.failures
    exported = tmp_path / "mirror" / django_settings.MEDIA_URL.strip("/")
    renditions = sorted(path for path in exported.rglob("*") if path.is_file())
    assert renditions, "the demo's pages show images, so the mirror holds renditions"
    for path in renditions:
        name = path.relative_to(exported).as_posix()
        assert name.startswith("images/") and path.read_bytes() == _read(name)
    assert PDF in [path.read_bytes() for path in (tmp_path / "mirror").rglob("*.pdf")]


def _project_modules():
    for package in PROJECT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and not relative.startswith("cms/settings/"):
                yield relative, ast.parse(path.read_text("utf-8"))


def test_project_code_reads_media_through_the_storage_api():
    """No module reaches media by a local path: MEDIA_ROOT, a storage's or a file's path()."""
    found = {"MEDIA_ROOT": set(), "path": set()}
    for relative, tree in _project_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "MEDIA_ROOT":
                found["MEDIA_ROOT"].add(relative)
            if isinstance(node, ast.Attribute) and node.attr == "path":
                owner = ast.unparse(node.value).lower()
                if "storage" in owner or owner.endswith(("file", "document", "image", "attachment")):
                    found["path"].add(relative)
    assert found["MEDIA_ROOT"] <= MEDIA_ROOT_READERS
    assert found["path"] <= PATH_CALLERS
