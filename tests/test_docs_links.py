"""Every relative link in the README and docs/ leads to a file in the repository, and the README links every
page of docs/, so a clone's documentation has no dead ends (issue 13 §8)."""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARKDOWN_FILES = sorted([*ROOT.glob("*.md"), *(ROOT / "docs").rglob("*.md")])
FENCED = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")
# [text](target "title"), ![alt](target), and reference definitions [label]: target
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def link_targets(path):
    text = INLINE_CODE.sub("", FENCED.sub("", path.read_text(encoding="utf-8")))
    return [*INLINE_LINK.findall(text), *REFERENCE.findall(text)]


def local_path(source, target):
    """The file a relative link names, or None for a web address or an anchor in the same page."""
    if EXTERNAL.match(target) or target.startswith("#"):
        return None
    target = unquote(target.split("#", 1)[0].split("?", 1)[0])
    return (ROOT / target.lstrip("/")) if target.startswith("/") else (source.parent / target)


def in_a_clone():
    """The files and folders git holds (committed or staged): what a clone has. None outside a git checkout."""
    git = shutil.which("git")
    if git is None:
        return None
    listed = subprocess.run([git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        return None
    files = {(ROOT / name).resolve() for name in listed.stdout.decode().split("\0") if name}
    return files | {folder for path in files for folder in path.parents}


def test_the_documentation_is_there():
    names = {path.relative_to(ROOT).as_posix() for path in MARKDOWN_FILES}
    pages = ("architecture", "deployment", "editor-guide", "security")
    assert {"README.md", *(f"docs/{page}.md" for page in pages)} <= names


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_relative_links_lead_to_files_in_the_repository(path):
    # A file only on this machine (ignored by git, or never added) is a dead link in a clone.
    cloned = in_a_clone()
    broken = []
    for target in link_targets(path):
        local = local_path(path, target)
        if local is None:
            continue
        resolved = local.resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists() or (cloned and resolved not in cloned):
            broken.append(target)
    assert not broken, f"{path.relative_to(ROOT)}: {broken}"


def test_readme_links_every_page_of_docs():
    readme = ROOT / "README.md"
    linked = {local_path(readme, target).resolve() for target in link_targets(readme) if local_path(readme, target)}
    unlinked = [p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md") if p.resolve() not in linked]
    assert not unlinked


def test_the_link_finder_sees_what_markdown_renders_as_links(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        '[a](docs/a.md) ![b](images/b.png "t") [c](https://example.org/) [d](#top)\n'
        "[e]: other.md\n`[f](in-code.md)`\n```\n[g](fenced.md)\n```\n",
        encoding="utf-8",
    )
    assert link_targets(page) == ["docs/a.md", "images/b.png", "https://example.org/", "#top", "other.md"]
    assert local_path(page, "https://example.org/") is None and local_path(page, "#top") is None
    assert local_path(page, "docs/a.md#part") == tmp_path / "docs/a.md"
