"""The test templates are rebuilt exactly when what they are made of changes, and copied over nothing but the test
database (tests/dbtemplate.py)."""

import re
from pathlib import Path

import pytest

from tests import dbtemplate


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the project's layout: one file in every folder the fingerprints read."""
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    for source in {*dbtemplate.SOURCES, *dbtemplate.DEMO_SOURCES}:
        folder = tmp_path / source / "migrations"
        folder.mkdir(parents=True)
        (folder / "0001_initial.py").write_text("operations = []\n")
        (tmp_path / source / "templates").mkdir()
        (tmp_path / source / "templates" / "page.html").write_text("<h1>{{ title }}</h1>\n")
        (tmp_path / source / "__pycache__").mkdir()
        (tmp_path / source / "__pycache__" / "x.pyc").write_bytes(b"\0")
    monkeypatch.setattr(dbtemplate, "ROOT", tmp_path)
    dbtemplate.fingerprint.cache_clear()
    dbtemplate.demo_fingerprint.cache_clear()
    yield tmp_path
    dbtemplate.fingerprint.cache_clear()
    dbtemplate.demo_fingerprint.cache_clear()


def fingerprints():
    dbtemplate.fingerprint.cache_clear()
    dbtemplate.demo_fingerprint.cache_clear()
    return dbtemplate.fingerprint(), dbtemplate.demo_fingerprint()


def test_a_migration_changes_both_templates(project):
    before = fingerprints()
    for source in dbtemplate.SOURCES:
        (project / source / "migrations" / "0001_initial.py").write_text("operations = [1]\n")
        after = fingerprints()
        assert after[0] != before[0] and after[1] != before[1], source
        before = after


@pytest.mark.parametrize("source", dbtemplate.DEMO_SOURCES)
def test_any_file_of_the_code_changes_the_demo_only(project, source):
    migrated, demo = fingerprints()
    (project / source / "templates" / "page.html").write_text("<h1>{{ page.title }}</h1>\n")
    edited_migrated, edited_demo = fingerprints()
    assert edited_migrated == migrated
    assert edited_demo != demo
    (project / source / "seed_data.json").write_text("{}")
    added_migrated, added_demo = fingerprints()
    assert added_migrated == migrated
    assert added_demo not in (demo, edited_demo)


def test_bytecode_changes_nothing(project):
    before = fingerprints()
    for source in dbtemplate.DEMO_SOURCES:
        (project / source / "__pycache__" / "x.pyc").write_bytes(b"\1")
    assert fingerprints() == before


def test_pinned_dependencies_change_both(project):
    before = fingerprints()
    (project / "pyproject.toml").write_text('[project]\ndependencies = ["wagtail==8.0.1"]\n')
    after = fingerprints()
    assert after[0] != before[0] and after[1] != before[1]


def test_a_new_migrated_template_drops_the_old_ones_and_leaves_the_demo_to_its_own_lock(tmp_path):
    old, partial = tmp_path / "test-template-0123456789ab.sqlite3", tmp_path / "test-template-fedcba987654.partial"
    demo = tmp_path / "test-template-demo-0123456789ab.sqlite3"
    for path in (old, partial, demo):
        path.write_bytes(b"")
    new = tmp_path / "test-template-aaaaaaaaaaaa.sqlite3"
    dbtemplate._sqlite_build(
        new, dbtemplate.SQLITE_STALE_PATTERN, lambda url: Path(url.removeprefix("sqlite:///")).write_text("x")
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([new.name, demo.name])
    assert new.read_text() == "x"

    pattern = re.compile(dbtemplate.postgres_stale_pattern("test_cms.ci_tpl_"))
    assert pattern.match("test_cms.ci_tpl_0123456789ab") and pattern.match("test_cms.ci_tpl_0123456789ab_partial")
    for name in (
        "test_cms.ci_tpl_demo_0123456789ab",
        "test_cmsxci_tpl_0123456789ab",
        "test_cms.ci_tpl_0123456789ab_gw0",
    ):
        assert not pattern.match(name), name


@pytest.mark.parametrize("remembered", [None, "another_database"])
def test_only_the_test_database_made_for_this_run_is_ever_replaced(monkeypatch, remembered):
    """Without a test database set up, the connection is still on the configured one, a developer's own."""
    if remembered is None:
        monkeypatch.delitem(dbtemplate._configured, "test_name", raising=False)
    else:
        monkeypatch.setitem(dbtemplate._configured, "test_name", remembered)
    with pytest.raises(RuntimeError, match="is not this run's test database"):
        dbtemplate.use_migrated_database()
