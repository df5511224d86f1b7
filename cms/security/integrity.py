"""Integrity manifest of the project's own templates and static source files.

The manifest is written after a deployment (`integrity_manifest`) and compared by `check_tamper`:
a template or script changed on the server without a deployment is the classic way a site is
defaced or made to serve malware.
"""

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import timezone

CHUNK = 1024 * 1024


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _is_third_party(path):
    return "site-packages" in path.parts or path.is_relative_to(Path(sys.prefix).resolve())


def default_roots(include_static_root=False):
    """Template and static source directories of the project's own apps (not installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    candidates = []
    for engine in settings.TEMPLATES:
        candidates.extend(Path(d) for d in engine.get("DIRS", []))
    candidates.extend(Path(d if isinstance(d, str | Path) else d[1]) for d in settings.STATICFILES_DIRS)
    for app_config in apps.get_app_configs():
        app_path = Path(app_config.path).resolve()
        if not app_path.is_relative_to(base) or _is_third_party(app_path):
            continue
        candidates.extend([app_path / "templates", app_path / "static"])
    if include_static_root and settings.STATIC_ROOT:
        candidates.append(Path(settings.STATIC_ROOT))
    roots = []
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_dir() and resolved not in roots:
            roots.append(resolved)
    return roots


def configured_roots(include_static_root=False):
    paths = getattr(settings, "SECURITY_INTEGRITY_PATHS", None)
    if paths:
        return [Path(p).resolve() for p in paths]
    return default_roots(include_static_root)


def _label(path):
    """Paths relative to the project, so that the manifest survives moving the checkout."""
    base = Path(settings.BASE_DIR).resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()


def _absolute(label):
    path = Path(label)
    return path if path.is_absolute() else Path(settings.BASE_DIR).resolve() / path


def hash_tree(roots):
    files = {}
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink() and "__pycache__" not in path.parts:
                files[_label(path)] = sha256_file(path)
    return files


def manifest_path():
    return Path(
        getattr(settings, "SECURITY_INTEGRITY_MANIFEST", Path(settings.BASE_DIR) / "var" / "integrity-manifest.json")
    )


def write_manifest(path=None, include_static_root=False):
    path = Path(path) if path else manifest_path()
    roots = configured_roots(include_static_root)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "roots": [_label(root) for root in roots],
        "files": hash_tree(roots),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    temporary.replace(path)
    return path, manifest


@dataclass
class ManifestDifference:
    added: list[str]
    changed: list[str]
    removed: list[str]


def compare_manifest(path=None):
    """Differences between the files on disk and the manifest, or None when there is no manifest."""
    path = Path(path) if path else manifest_path()
    if not path.is_file():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    current = hash_tree([_absolute(label) for label in manifest["roots"]])
    recorded = manifest["files"]
    return ManifestDifference(
        added=sorted(set(current) - set(recorded)),
        changed=sorted(name for name in set(current) & set(recorded) if current[name] != recorded[name]),
        removed=sorted(set(recorded) - set(current)),
    )
