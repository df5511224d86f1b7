"""Where uploaded media live: MEDIA_ROOT on the local disk (the default) or a private S3-compatible bucket.

`MEDIA_STORAGE=s3` (production settings) puts the default storage, that is documents, original images,
renditions and the new-media accounts' files, into a bucket through django-storages (cms.s3storage).
Nothing is public in the bucket: documents are served by Wagtail's serve view after site_pages.document_access
has allowed the download, and image renditions by `serve_rendition` below, under the same /media/images/
addresses nginx serves from disk in the default mode. The private files go to the same bucket under private/
(private_storage). Code that reads media therefore uses the storage API
(open, exists, save, delete, url) and never a local path; `is_local` tells the few places that handle a
whole directory (backups) whether there is one.
"""

import mimetypes
import posixpath
from importlib.util import find_spec

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

FILESYSTEM = "filesystem"
S3 = "s3"
S3_BACKEND = "cms.s3storage.PrivateS3Storage"
RENDITIONS = "images/"
# Under the bucket's location: the private files' keys (private_storage).
PRIVATE_PREFIX = "private"
# How long browsers and nginx keep a rendition: its name changes with the image's focal point or file.
RENDITION_MAX_AGE = 86400


def _env(environ, name):
    return environ.get(name, "").strip()


def _refuse(message):
    raise ImproperlyConfigured(f"{message} (see docs/deployment.md, 'Media on S3-compatible storage').")


def default_storage_config(environ):
    """STORAGES["default"] for the production settings, from MEDIA_STORAGE and the AWS_* variables.

    The mistakes that can be seen without asking the service (no bucket, half a key pair, a missing library)
    stop start-up instead of the first upload; a wrong key or bucket shows at the first request to the bucket.
    """
    kind = _env(environ, "MEDIA_STORAGE").lower() or FILESYSTEM
    if kind == FILESYSTEM:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != S3:
        _refuse(f"MEDIA_STORAGE must be '{FILESYSTEM}' or '{S3}', not {kind!r}")
    bucket = _env(environ, "AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        _refuse("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    key_id, secret = _env(environ, "AWS_ACCESS_KEY_ID"), _env(environ, "AWS_SECRET_ACCESS_KEY")
    if bool(key_id) != bool(secret):
        _refuse("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together (or neither, for an instance role)")
    endpoint = _env(environ, "AWS_S3_ENDPOINT_URL")
    if endpoint and not endpoint.startswith(("https://", "http://")):
        _refuse(f"AWS_S3_ENDPOINT_URL must start with https:// or http://, not {endpoint!r}")
    if _env(environ, "AWS_S3_CUSTOM_DOMAIN"):
        # django-storages links files on a custom domain without a signature, which works only for a public
        # bucket; here every link is the site's own (/documents/, /media/images/), so the domain would be unused.
        _refuse("AWS_S3_CUSTOM_DOMAIN is not supported: the bucket is private and the site serves its files")
    addressing = _env(environ, "AWS_S3_ADDRESSING_STYLE")
    if addressing not in ("", "path", "virtual", "auto"):
        _refuse(f"AWS_S3_ADDRESSING_STYLE must be 'path', 'virtual' or 'auto', not {addressing!r}")
    missing = [module for module in ("storages", "boto3") if find_spec(module) is None]
    if missing:
        _refuse(f"MEDIA_STORAGE=s3 needs the packages django-storages[s3] and boto3 ({', '.join(missing)} missing)")
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            "region_name": _env(environ, "AWS_S3_REGION_NAME") or None,
            # Empty: boto3's own chain (environment, instance role) provides the credentials.
            "access_key": key_id or None,
            "secret_key": secret or None,
            "location": _env(environ, "AWS_LOCATION").strip("/"),
            "addressing_style": addressing or None,
            # No ACL header: objects stay as private as the bucket (and buckets with ACLs disabled, the
            # default on AWS, refuse any ACL). Documents are access-checked by the serve view, not by a URL.
            "default_acl": None,
            # Pages link the site itself (PrivateS3Storage.url); a bucket link made through django-storages
            # directly would be signed and expire rather than work for anyone forever.
            "querystring_auth": True,
            # An upload with the name of an existing file gets a new name, as on disk: a document replaced
            # in the admin must not change the file an older revision or a cached page points to.
            "file_overwrite": False,
            # Signature v4 is the one every region and every S3-compatible service (MinIO, Ceph, OSS, COS) accepts.
            "signature_version": "s3v4",
            # A download is buffered in memory up to this size, then in a temporary file: a 200 MB video
            # served to several visitors must not sit in each worker's memory.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }


def private_storage(location, folder):
    """The storage of files no visitor may reach (reply documents, letters' attachments, inspection evidence).

    On disk the directory `location`, outside MEDIA_ROOT. With MEDIA_STORAGE=s3 the media bucket under the key
    prefix private/`folder`: every application server then reads the same files without a shared directory, and
    no public address reads that prefix (serve_rendition reads images/ only, documents are served by their record;
    these files only by the admin views that check access to their letter, request or case)."""
    default = settings.STORAGES["default"]
    if default["BACKEND"] != S3_BACKEND:
        return FileSystemStorage(location=location, base_url=None)
    from cms.s3storage import PrivateS3Storage

    options = default["OPTIONS"]
    prefix = "/".join(part for part in (options.get("location", ""), PRIVATE_PREFIX, folder) if part)
    return PrivateS3Storage(**{**options, "location": prefix})


def is_local(storage):
    """True when the storage keeps its files in a directory of this machine (backups copy that directory)."""
    # default_storage is a lazy object; isinstance sees the class of the storage behind it.
    return isinstance(storage, FileSystemStorage)


def serve_rendition(request, name):
    """An image rendition from the default storage, for the storages nginx cannot read from disk.

    Only names under images/ (renditions, as nginx publishes them): originals and documents are never served
    here, and a name that leaves that folder is not found.
    """
    path = posixpath.normpath(f"{RENDITIONS}{name}")
    if not path.startswith(RENDITIONS) or name != path[len(RENDITIONS) :]:
        raise Http404
    try:
        handle = default_storage.open(path, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(path)[0] or "application/octet-stream")
    patch_cache_control(response, public=True, max_age=RENDITION_MAX_AGE)
    return response
