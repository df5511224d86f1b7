"""Every directory that holds the site's files, so that a backup leaves none of them out.

Files live in MEDIA_ROOT (documents, images) and in storages of their own, such as the private
directory of 答复书 that must never be under the public media. The roots are found rather than
listed: MEDIA_ROOT, every STORAGES entry with a location (static files excepted: collectstatic
rebuilds them from the code), and the storage of every file field of every model, which is where a
setting such as DISCLOSURE_REQUEST_FILES_ROOT takes effect. A root added later is therefore backed
up without anyone remembering to add it. Only directories of this machine count: media in a bucket
(MEDIA_STORAGE=s3) are kept by the bucket's versioning and replication, not copied into the archive.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.db.models import FileField

from cms.mediastorage import is_local

# STORAGES entries that hold no records.
REBUILT_STORAGES = {"staticfiles"}


def _field_location(field):
    # A callable storage (like the private reply storage) is asked again, so that the location
    # follows the current settings rather than the ones in force when the models were imported.
    storage = getattr(field, "_storage_callable", None)
    storage = storage() if callable(storage) else field.storage
    # A bucket's "location" is a key prefix, not a directory of this machine.
    return storage.location if is_local(storage) else None


def _candidates():
    if is_local(storages["default"]):
        yield "MEDIA_ROOT", settings.MEDIA_ROOT
    for alias, config in sorted(settings.STORAGES.items()):
        if alias not in REBUILT_STORAGES and is_local(storages[alias]):
            yield f"STORAGES.{alias}", (config.get("OPTIONS") or {}).get("location")
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                yield f"{model._meta.label}.{field.name}", _field_location(field)


def storage_roots():
    """{key: absolute Path}, one entry per distinct directory; a root inside another is covered by it.

    The key is the first name that finds the directory (settings before models), so that the
    same root gets the same key on every machine whatever its path there.
    """
    found = {}
    for key, location in _candidates():
        if not location:
            continue
        path = Path(location).resolve()
        if path not in found.values():
            found[key] = path
    return {
        key: path
        for key, path in found.items()
        if not any(other != path and path.is_relative_to(other) for other in found.values())
    }
