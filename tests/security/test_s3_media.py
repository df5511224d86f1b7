"""MEDIA_STORAGE=s3 (cms.mediastorage): the production settings' checks, and a private bucket under moto."""

import io
import runpy
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db.models import FileField
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.mediastorage import default_storage_config
from tests.factories import make_content
from tests.organisation.test_collections import attachment_body
from tests.security.test_uploads import PDF, png_bytes
from tests.test_deploy_files import DEPLOY, NGINX_SITE, env_example, nginx_served_directories
from tests.test_settings import GOOD_ENV, run_manage

BUCKET = "anyue-portal-media"
S3_ENV = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"AWS_STORAGE_BUCKET_NAME": " "}, "needs AWS_STORAGE_BUCKET_NAME"),
        ({"MEDIA_STORAGE": "oss"}, "MEDIA_STORAGE must be"),
        ({"AWS_SECRET_ACCESS_KEY": ""}, "go together"),
        ({"AWS_S3_ENDPOINT_URL": "minio.internal:9000"}, "must start with https://"),
        ({"AWS_S3_CUSTOM_DOMAIN": "media.example.gov.cn"}, "AWS_S3_CUSTOM_DOMAIN is not supported"),
        ({"AWS_S3_ADDRESSING_STYLE": "dns"}, "AWS_S3_ADDRESSING_STYLE must be"),
    ],
)
def test_a_misconfigured_bucket_is_refused(change, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        default_storage_config({**S3_ENV, **change})


def test_filesystem_stays_the_default():
    assert default_storage_config({})["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert default_storage_config({"MEDIA_STORAGE": "filesystem", "AWS_STORAGE_BUCKET_NAME": ""})["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )


@pytest.mark.one_database
def test_production_refuses_to_start_with_s3_and_no_bucket():
    result = run_manage("check", env_overrides={"MEDIA_STORAGE": "s3"}, drop=("AWS_STORAGE_BUCKET_NAME",))
    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_deployment_files_name_every_bucket_setting_and_nginx_proxies_renditions():
    env = env_example()
    assert env["MEDIA_STORAGE"] == "filesystem"
    assert {name for name in S3_ENV} <= set(env)
    assert default_storage_config({**env, **S3_ENV})["BACKEND"] == "cms.s3storage.PrivateS3Storage"
    snippet = (DEPLOY / "nginx" / "cms-media-s3.conf").read_text(encoding="utf-8")
    # In place of the disk: nothing is read from a directory, renditions come from the application.
    assert nginx_served_directories(snippet) == {}
    assert "location /media/images/ {" in snippet and "proxy_pass http://cms_gunicorn;" in snippet
    assert "include /etc/nginx/snippets/cms-media-s3.conf;" in NGINX_SITE.read_text(encoding="utf-8")


@pytest.fixture
def production_storages(monkeypatch):
    """STORAGES as cms.settings.production builds them from the environment of an S3 deployment."""
    for name in (
        "REDIS_URL",
        "DATABASE_REPLICA_URL",
        "FRONTEND_CACHE_PURGE_URL",
        "AWS_S3_ENDPOINT_URL",
        "AWS_LOCATION",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**GOOD_ENV, **S3_ENV}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_module("cms.settings.production")["STORAGES"]


@pytest.fixture
def bucket(production_storages, settings):
    moto = pytest.importorskip("moto", reason="moto is a test dependency (pyproject.toml); without it no fake S3")
    import boto3

    with moto.mock_aws():
        client = boto3.client("s3", region_name=S3_ENV["AWS_S3_REGION_NAME"])
        client.create_bucket(Bucket=BUCKET)
        # The default storage only: the production static files want a collectstatic manifest.
        settings.STORAGES = {**settings.STORAGES, "default": production_storages["default"]}
        yield client


def _keys(client):
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def _private(client, key):
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants)


@pytest.mark.django_db
def test_documents_and_renditions_live_in_the_private_bucket_and_the_site_serves_them(bucket, portal):
    from cms.s3storage import PrivateS3Storage

    assert isinstance(default_storage, PrivateS3Storage)
    assert default_storage.bucket_name == BUCKET and not default_storage.file_overwrite
    document = get_document_model()(title="县政府通知")
    document.file.save("通知.pdf", ContentFile(PDF), save=False)
    document.save()
    image = get_image_model()(title="县城风貌")
    image.file = ImageFile(io.BytesIO(png_bytes()), name="风貌.png")
    image.save()
    rendition = image.get_rendition("fill-2x2")
    assert {document.file.name, image.file.name, rendition.file.name} <= _keys(bucket)
    assert all(_private(bucket, key) for key in _keys(bucket))
    # Saving under a taken name keeps the first file: a replaced document must not change an older link.
    again = default_storage.save(document.file.name, ContentFile(b"other"))
    assert again != document.file.name
    assert bucket.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read() == PDF

    visitor = Client()
    serve_url = reverse("wagtaildocs_serve", args=(document.pk, document.filename))
    assert visitor.get(serve_url).status_code == 404
    page = make_content(portal["a"], title="存储桶附件")
    page.body = attachment_body(document)
    page.save_revision().publish()
    response = visitor.get(serve_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF

    assert rendition.url.startswith("/media/images/")
    response = visitor.get(rendition.url)
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content) == bucket.get_object(Bucket=BUCKET, Key=rendition.file.name)["Body"].read()
    )


def private_file_fields():
    """Every model's file field with a storage of its own (a callable giving another than the media storage; Wagtail's
    renditions take theirs by a callable that gives the media storage): the private files."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
        and callable(getattr(field, "_storage_callable", None))
        and field._storage_callable() is not default_storage
    ]


@pytest.mark.django_db
def test_private_files_live_in_the_bucket_under_private_and_no_public_address_reads_them(bucket):
    from cms.s3storage import PrivateS3Storage

    fields = private_file_fields()
    assert len(fields) >= 3, "letters' attachments, reply documents and inspection evidence"
    visitor = Client()
    for model, field in fields:
        storage = field._storage_callable()
        assert isinstance(storage, PrivateS3Storage), field
        assert storage.location.split("/")[0] == "private", field
        name = storage.save(f"{model._meta.model_name}/来信附件.pdf", ContentFile(PDF))
        key = f"{storage.location}/{name}"
        assert key in _keys(bucket) and _private(bucket, key)
        with storage.open(name) as handle:
            assert handle.read() == PDF
        for address in (f"/media/{key}", f"/media/images/../{key}", f"/media/images/%2E%2E/{key}", f"/{key}"):
            assert visitor.get(address).status_code == 404, address


def test_private_keys_follow_the_buckets_location(settings, production_storages):
    from cms.mediastorage import private_storage

    default = production_storages["default"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**default["OPTIONS"], "location": "anyue"}},
    }
    assert private_storage("/unused", "letters").location == "anyue/private/letters"
    assert private_storage("/unused", "").location == "anyue/private"


def test_on_disk_private_files_stay_in_their_directories(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.LETTER_FILES_ROOT = tmp_path / "letters"
    for _model, field in private_file_fields():
        storage = field._storage_callable()
        assert isinstance(storage, FileSystemStorage)
        assert not Path(storage.location).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
