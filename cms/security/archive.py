"""Archiving audit entries past their retention period (archive_audit).

Entries are written to a gzip file of JSON lines, the file's sha256 goes into a manifest next to it, the file
is read back and checked, and only then are the entries removed from the database. Entries younger than
SECURITY_AUDIT_RETENTION_DAYS are never archived.
"""

import datetime
import gzip
import hashlib
import json
import os
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import audit
from .models import AuditEntry

# Rows read and removed per round trip.
CHUNK = 2000


class ArchiveError(Exception):
    pass


def retention_days():
    return int(settings.SECURITY_AUDIT_RETENTION_DAYS)


def latest_allowed_cutoff(today=None):
    """The latest date archive_audit may use: entries before it are past retention."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=retention_days())


def _start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entry_row(entry):
    return {
        "id": entry.pk,
        "timestamp": entry.timestamp.isoformat(),
        "action": entry.action,
        "result": entry.result,
        "user_id": entry.user_id,
        "username": entry.username,
        "ip_address": entry.ip_address,
        "content_type": (
            f"{entry.content_type.app_label}.{entry.content_type.model}" if entry.content_type_id else None
        ),
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "detail": entry.detail,
        "data": entry.data,
    }


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive(before, output_dir):
    """Archive entries older than the start of `before` (a local date); returns the manifest, or None if none."""
    cutoff = latest_allowed_cutoff()
    if before > cutoff:
        raise ArchiveError(
            gettext("审计记录须至少保存%(days)d天：截止日期不能晚于 %(cutoff)s。")
            % {"days": retention_days(), "cutoff": cutoff.isoformat()}
        )
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(gettext("无法创建归档目录 %(dir)s：%(error)s") % {"dir": output_dir, "error": exc}) from exc
    if not os.access(output_dir, os.W_OK):
        raise ArchiveError(gettext("归档目录 %(dir)s 不可写。") % {"dir": output_dir})

    entries = AuditEntry.objects.filter(timestamp__lt=_start_of_day(before)).order_by("pk")
    # The exact set of rows is fixed first, so entries written while the file is being made are never removed.
    pks = list(entries.values_list("pk", flat=True))
    if not pks:
        return None
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = f"audit-before-{before:%Y%m%d}-{stamp}"
    archive_path = output_dir / f"{name}.jsonl.gz"
    manifest_path = output_dir / f"{name}.manifest.json"
    partial_path = output_dir / f"{name}.jsonl.gz.part"

    first = last = None
    with gzip.open(partial_path, "wt", encoding="utf-8") as handle:
        for start in range(0, len(pks), CHUNK):
            chunk = AuditEntry.objects.filter(pk__in=pks[start : start + CHUNK]).select_related("content_type")
            for entry in chunk.order_by("pk"):
                handle.write(json.dumps(entry_row(entry), ensure_ascii=False, cls=DjangoJSONEncoder) + "\n")
                first = first or entry.timestamp
                last = entry.timestamp
    os.chmod(partial_path, 0o600)
    os.replace(partial_path, archive_path)

    digest = sha256_of(archive_path)
    with gzip.open(archive_path, "rt", encoding="utf-8") as handle:
        written = sum(1 for _line in handle)
    if written != len(pks):
        raise ArchiveError(
            gettext("归档文件核对失败：应有%(expected)d条，实际%(written)d条；数据库中的记录未删除。")
            % {"expected": len(pks), "written": written}
        )
    manifest = {
        "file": archive_path.name,
        "sha256": digest,
        "count": len(pks),
        "first_id": pks[0],
        "last_id": pks[-1],
        "first_timestamp": first.isoformat(),
        "last_timestamp": last.isoformat(),
        "before": before.isoformat(),
        "created_at": timezone.now().isoformat(),
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.chmod(manifest_path, 0o600)

    with transaction.atomic():
        for start in range(0, len(pks), CHUNK):
            AuditEntry.objects.purge_archived(pks[start : start + CHUNK])
        audit.record(
            "audit.archive",
            detail=gettext("归档%(count)d条审计记录到 %(file)s（sha256 %(sha)s）")
            % {"count": len(pks), "file": archive_path.name, "sha": digest},
            data=manifest,
        )
    manifest["path"] = str(archive_path)
    manifest["manifest_path"] = str(manifest_path)
    return manifest
