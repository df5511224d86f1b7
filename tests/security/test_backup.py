import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cms.security import backup
from cms.security.backup import BackupError, create_backup, verify_archive
from tests.factories import UserFactory
from tests.security.drill import roots_named_in_settings

# No wrapping test transaction: SQLite's online backup cannot copy a database that one of its
# own connections is writing to.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(tmp_path, settings):
    settings.DISCLOSURE_REQUEST_FILES_ROOT = tmp_path / "private"
    # Inside the private root, so the letters' attachments other tests left in the test files root stay out.
    settings.LETTER_FILES_ROOT = tmp_path / "private" / "letters"
    (settings.DISCLOSURE_REQUEST_FILES_ROOT / "disclosure_requests" / "replies" / "2026").mkdir(parents=True)
    (settings.DISCLOSURE_REQUEST_FILES_ROOT / "disclosure_requests" / "replies" / "2026" / "答复书.pdf").write_bytes(
        b"%PDF-1.4 reply\n%%EOF\n"
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "通知.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (settings.MEDIA_ROOT / "original_images").mkdir()
    (settings.MEDIA_ROOT / "original_images" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return settings.MEDIA_ROOT


@pytest.fixture
def archive(tmp_path, media):
    UserFactory(username="backup_user")
    return create_backup(tmp_path / "backups")


def rewrite(source, target, change):
    """Copy an archive member by member, letting `change(name, data)` alter contents."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return target


def test_backup_is_one_archive_with_database_media_and_manifest(archive, media):
    assert archive.name.startswith("cms-backup-") and archive.name.endswith(".tar.gz")
    assert archive.stat().st_mode & 0o077 == 0
    with tarfile.open(archive, "r:gz") as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("manifest.json").read())
        hashes = {n: hashlib.sha256(tar.extractfile(n).read()).hexdigest() for n in names - {"manifest.json"}}
    database_file = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.dump"}[connection.vendor]
    assert names == {
        "manifest.json",
        database_file,
        "media/documents/通知.pdf",
        "media/original_images/a.png",
        "files/disclosure_requests.DisclosureRequest.reply_document/disclosure_requests/replies/2026/答复书.pdf",
    }
    assert manifest["files"] == hashes
    assert manifest["database"] == {"vendor": connection.vendor, "file": database_file}
    assert manifest["migrations"]["wagtailcore"].startswith("0")
    assert manifest["migrations"]["security"].startswith("0")
    assert manifest["django"] and manifest["wagtail"] and manifest["created_at"]
    assert verify_archive(archive) == manifest


def test_command_writes_into_the_output_directory(tmp_path, media, capsys):
    call_command("backup", output=str(tmp_path / "out"))
    (archive,) = (tmp_path / "out").glob("*.tar.gz")
    assert str(archive) in capsys.readouterr().out


def test_a_truncated_archive_is_refused(archive, tmp_path):
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(archive.read_bytes()[:-200])
    with pytest.raises(BackupError, match="损坏或不完整"):
        verify_archive(broken)


def test_a_changed_file_inside_a_valid_archive_is_refused(archive, tmp_path):
    forged = rewrite(
        archive, tmp_path / "forged.tar.gz", lambda name, data: b"<script>" if name.endswith("a.png") else data
    )
    with pytest.raises(BackupError, match="校验失败.*media/original_images/a.png"):
        verify_archive(forged)


def test_restore_refuses_a_corrupted_archive_and_changes_nothing(archive, tmp_path, media):
    broken = tmp_path / "broken.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    broken.write_bytes(bytes(data))
    (media / "new.txt").write_text("uploaded after the backup")
    with pytest.raises(CommandError, match="损坏|校验失败"):
        call_command("restore", str(broken), yes=True)
    assert (media / "new.txt").exists()


def test_restore_refuses_another_database_vendor(archive, tmp_path, media):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["vendor"] = other
        return json.dumps(manifest).encode()

    mismatched = rewrite(archive, tmp_path / "other.tar.gz", change)
    (media / "new.txt").write_text("kept")
    with pytest.raises(CommandError, match="不一致，拒绝恢复"):
        call_command("restore", str(mismatched), yes=True)
    assert (media / "new.txt").exists()


def test_restore_without_yes_needs_a_terminal(archive, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))


def test_restore_asks_and_stops_on_no(archive, monkeypatch, media):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    (media / "new.txt").write_text("kept")
    with pytest.raises(CommandError, match="已取消"):
        call_command("restore", str(archive))
    assert (media / "new.txt").exists()


def test_every_storage_root_is_backed_up_and_restored(tmp_path, media, monkeypatch):
    """Each root the settings or models name gets a file; the backup holds it and a restore brings it back."""
    roots = roots_named_in_settings()
    assert Path(django_settings.DISCLOSURE_REQUEST_FILES_ROOT).resolve() in roots
    planted = {}
    for index, root in enumerate(sorted(roots)):
        path = root / "drill" / f"record-{index}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"record {index} in {root.name}".encode())
        planted[path] = path.read_bytes()
    archive = create_backup(tmp_path / "backups")
    manifest = verify_archive(archive)
    archived = set(manifest["files"].values())
    for path, data in planted.items():
        assert hashlib.sha256(data).hexdigest() in archived, path

    for number, path in enumerate(planted):
        if number % 2:
            path.unlink()
        else:
            path.write_bytes(b"altered after the backup")
    # The database copy is exercised by the restore drill; here only the file roots are restored.
    monkeypatch.setattr(backup, "_restore_sqlite", lambda copy: None)
    monkeypatch.setattr(backup, "_restore_postgresql", lambda dump: None)
    call_command("restore", str(archive), yes=True)
    for path, data in planted.items():
        assert path.read_bytes() == data, path


def test_restore_refuses_an_archive_with_a_root_that_is_not_configured(archive, tmp_path, media):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["roots"]["OLD_UPLOADS_FILES_ROOT"] = "files/OLD_UPLOADS_FILES_ROOT"
        return json.dumps(manifest).encode()

    forged = rewrite(archive, tmp_path / "unknown-root.tar.gz", change)
    (media / "new.txt").write_text("kept")
    with pytest.raises(CommandError, match="OLD_UPLOADS_FILES_ROOT"):
        call_command("restore", str(forged), yes=True)
    assert (media / "new.txt").exists()
