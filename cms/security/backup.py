"""One-file backups of the database and every file storage, and their restore.

Archive layout (tar.gz):

    database/db.dump        PostgreSQL, `pg_dump --format=custom`
    database/db.sqlite3     SQLite, a consistent copy made with SQLite's online backup API
    media/...               MEDIA_ROOT
    files/<key>/...         every other storage root (storage_roots.py), e.g. the private 答复书
    manifest.json           created time, versions, database vendor, migration state, the archive
                            folder of each storage root and the sha256 of every other file

A restore checks every checksum before it touches anything, and refuses an archive whose storage
roots do not match the ones configured.
"""

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .integrity import sha256_file
from .storage_roots import storage_roots

MANIFEST = "manifest.json"
FORMAT_VERSION = 2
MEDIA_KEY = "MEDIA_ROOT"
DATABASE_FILES = {"postgresql": "database/db.dump", "sqlite": "database/db.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is shown to the operator."""


class _HashingReader:
    """Hashes a file while tarfile reads it, so every file is read once and hashed as archived."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _vendor():
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(_("不支持的数据库类型：%(vendor)s") % {"vendor": vendor})
    return vendor


def _pg_environment(db):
    """libpq variables for pg_dump/pg_restore, so that the password never appears on a command line."""
    env = dict(os.environ)
    mapping = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
    }
    options = db.get("OPTIONS") or {}
    if options.get("sslmode"):
        mapping["PGSSLMODE"] = options["sslmode"]
    env.update({key: str(value) for key, value in mapping.items() if value})
    return env


def _run(command, env=None):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(
            _("找不到程序 %(program)s，请安装 PostgreSQL 客户端工具。") % {"program": command[0]}
        ) from error
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s 执行失败：%(error)s") % {"program": command[0], "error": result.stderr.strip()[-2000:]}
        )


def dump_database(target):
    vendor = _vendor()
    db = connection.settings_dict
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), db["NAME"]], env=_pg_environment(db))
    else:
        # SQLite's backup API waits forever for a write transaction held by the same connection.
        if connection.in_atomic_block:
            raise BackupError(_("不能在数据库事务中备份 SQLite 数据库。"))
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot even while the site is writing.
            connection.connection.backup(destination)
        finally:
            destination.close()
    return vendor


def migration_state():
    latest = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app_label, ""):
            latest[app_label] = name
    return dict(sorted(latest.items()))


def _add_file(archive, path, arcname, hashes):
    info = archive.gettarinfo(str(path), arcname)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with open(path, "rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    hashes[arcname] = reader.digest.hexdigest()


def archive_folder(key):
    # MEDIA_ROOT keeps the folder of format 1, so older archives restore the same way.
    return "media" if key == MEDIA_KEY else f"files/{key}"


def manifest_roots(manifest):
    """{key: archive folder} of an archive; format 1 held MEDIA_ROOT only."""
    return manifest.get("roots") or {MEDIA_KEY: "media"}


def create_backup(output_dir=None):
    """Write one archive into output_dir and return its path."""
    output_dir = Path(
        output_dir or getattr(settings, "SECURITY_BACKUP_DIR", Path(settings.BASE_DIR) / "var" / "backups")
    )
    output_dir.mkdir(parents=True, exist_ok=True)
    created = timezone.localtime()
    final = output_dir / f"cms-backup-{created:%Y%m%d-%H%M%S}.tar.gz"
    counter = 1
    while final.exists():
        counter += 1
        final = output_dir / f"cms-backup-{created:%Y%m%d-%H%M%S}-{counter}.tar.gz"
    roots = storage_roots()

    with tempfile.TemporaryDirectory(prefix="cms-backup-") as work:
        vendor = _vendor()
        dump = Path(work) / Path(DATABASE_FILES[vendor]).name
        dump_database(dump)
        partial = output_dir / f".{final.name}.partial"
        hashes = {}
        try:
            # The archive holds password hashes and personal data: readable by its owner only.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                _add_file(archive, dump, DATABASE_FILES[vendor], hashes)
                for key, root in roots.items():
                    if not root.is_dir():
                        continue
                    for path in sorted(root.rglob("*")):
                        if path.is_file() and not path.is_symlink():
                            name = f"{archive_folder(key)}/{path.relative_to(root).as_posix()}"
                            _add_file(archive, path, name, hashes)
                manifest = {
                    "format": FORMAT_VERSION,
                    "created_at": created.isoformat(),
                    "django": django.get_version(),
                    "wagtail": wagtail.__version__,
                    "database": {"vendor": vendor, "file": DATABASE_FILES[vendor]},
                    "migrations": migration_state(),
                    "roots": {key: archive_folder(key) for key in roots},
                    "files": hashes,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(created.timestamp())
                with tempfile.TemporaryFile() as buffer:
                    buffer.write(data)
                    buffer.seek(0)
                    archive.addfile(info, buffer)
            partial.replace(final)
        finally:
            partial.unlink(missing_ok=True)
    return final


def _safe_name(name):
    path = Path(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def verify_archive(path):
    """Read the whole archive, check every checksum and return the manifest; BackupError otherwise."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("找不到备份文件：%(path)s") % {"path": path})
    found = {}
    manifest_data = None
    try:
        # tarfile stops quietly at a damaged header and never reaches the gzip checksum at the end,
        # so the compressed stream is read through once on its own first.
        with gzip.open(path, "rb") as stream:
            while stream.read(CHUNK):
                pass
        with tarfile.open(path, mode="r:gz") as archive:
            for member in archive:
                if member.isdir():
                    continue
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(_("备份文件包含不安全的条目：%(name)s") % {"name": member.name})
                handle = archive.extractfile(member)
                if member.name == MANIFEST:
                    manifest_data = handle.read()
                    continue
                digest = hashlib.sha256()
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                found[member.name] = digest.hexdigest()
        manifest = json.loads(manifest_data) if manifest_data is not None else None
    except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as error:
        raise BackupError(_("备份文件已损坏或不完整，无法读取（%(error)s）。") % {"error": error}) from error
    if manifest is None:
        raise BackupError(_("备份文件缺少 manifest.json，不是本系统生成的备份。"))
    expected = manifest.get("files", {})
    damaged = sorted(name for name in expected if found.get(name) != expected[name])
    extra = sorted(set(found) - set(expected))
    if damaged or extra:
        raise BackupError(
            _("备份文件校验失败，拒绝恢复。校验值不符或缺失：%(damaged)s；清单外的文件：%(extra)s")
            % {"damaged": "、".join(damaged[:10]) or _("无"), "extra": "、".join(extra[:10]) or _("无")}
        )
    database = manifest.get("database", {})
    if database.get("file") not in expected:
        raise BackupError(_("备份文件中没有数据库。"))
    return manifest


def _restore_postgresql(dump):
    db = connection.settings_dict
    connections.close_all()
    # One transaction: a restore that fails half-way leaves the database as it was.
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            db["NAME"],
            str(dump),
        ],
        env=_pg_environment(db),
    )


def _restore_sqlite(copy):
    name = str(connection.settings_dict["NAME"])
    connections.close_all()
    source = sqlite3.connect(copy)
    destination = sqlite3.connect(name)
    try:
        # The backup API writes the copy into the live file under SQLite's own locking, page by
        # page in one transaction, so a concurrent reader never sees half a database.
        source.backup(destination)
    finally:
        source.close()
        destination.close()


def _swap_in(new_tree, root):
    """Put new_tree in place of root; the switch itself is a rename next to root."""
    root.parent.mkdir(parents=True, exist_ok=True)
    incoming = root.with_name(f".{root.name}.incoming")
    old = root.with_name(f".{root.name}.before-restore")
    for leftover in (incoming, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    # A rename when the staging area is on the same file system, a copy otherwise.
    shutil.move(new_tree, incoming)
    if root.exists():
        root.rename(old)
    incoming.rename(root)
    if old.exists():
        shutil.rmtree(old)


def check_roots(manifest):
    """Refuse an archive whose storage roots differ from the configured ones, before anything changes."""
    archived, configured = manifest_roots(manifest), set(storage_roots())
    unknown = sorted(key for key, folder in archived.items() if key not in configured or folder != archive_folder(key))
    if unknown:
        raise BackupError(
            _("备份中的存储目录在当前配置中不存在：%(roots)s，拒绝恢复。") % {"roots": "、".join(unknown)}
        )
    return sorted(configured - set(archived))


def restore_archive(path, manifest):
    """Restore a verified archive into the configured database and every storage root it holds.

    Returns the keys of configured roots the archive does not hold (made before they existed); those
    are left as they are.
    """
    vendor = _vendor()
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            _("备份的数据库类型（%(archive)s）与当前配置的数据库（%(current)s）不一致，拒绝恢复。")
            % {"archive": manifest["database"]["vendor"], "current": vendor}
        )
    missing = check_roots(manifest)
    roots = storage_roots()
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Staged next to MEDIA_ROOT so that the final swap is a rename on the same file system.
    with tempfile.TemporaryDirectory(prefix=f".{media_root.name}.restore-", dir=media_root.parent) as staging:
        staging = Path(staging)
        with tarfile.open(path, mode="r:gz") as archive:
            archive.extractall(staging, filter="data")
        # The archive was verified before; checking what was extracted closes the gap in between.
        for name, expected in manifest["files"].items():
            if sha256_file(staging / name) != expected:
                raise BackupError(_("备份文件在校验后被改动：%(name)s，已停止恢复。") % {"name": name})
        database_file = staging / manifest["database"]["file"]
        if vendor == "postgresql":
            _restore_postgresql(database_file)
        else:
            _restore_sqlite(database_file)
        for key, folder in manifest_roots(manifest).items():
            new_tree = staging / folder
            new_tree.mkdir(parents=True, exist_ok=True)
            _swap_in(new_tree, roots[key])
    return missing
