"""Time and size of the static mirror (`export_static`) of the demo county, a first export and a refresh.

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_export_static.py

Creates a throw-away test database, seeds the demo, exports it twice into a temporary directory (the second
run replaces the first's files, as the hourly timer does) and prints pages, files, bytes by kind and seconds.
"""

import sys
import tempfile
import time
from collections import Counter
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_db  # noqa: E402


def bytes_by_kind(directory):
    sizes = Counter()
    for path in directory.rglob("*"):
        if path.is_file():
            top = path.relative_to(directory).parts[0]
            kind = "html" if path.suffix == ".html" else top if top in ("static", "media", "documents") else "other"
            sizes[kind] += path.stat().st_size
    return sizes


def main():
    bench_db.setup_django()
    from django.core.management import call_command
    from wagtail.models import Site

    from site_pages.mirror.export import export_static, public_pages

    with bench_db.benchmark_database("bench_export_static"):
        started = time.perf_counter()
        call_command("seed_demo", stdout=StringIO())
        print(f"seeded the demo in {time.perf_counter() - started:.1f} s")
        live_public = public_pages(Site.objects.get(is_default_site=True)).count()
        with tempfile.TemporaryDirectory() as temporary:
            directory = Path(temporary) / "mirror"
            for run in ("first export", "refresh"):
                summary = export_static(directory)
                print(
                    f"{run:<13} {summary.pages:>4} pages ({live_public} live public pages) {summary.files:>4} files "
                    f"{summary.bytes / 1e6:>6.2f} MB {summary.seconds:>6.1f} s "
                    f"({1000 * summary.seconds / max(summary.pages, 1):.0f} ms a page)"
                )
            sizes = bytes_by_kind(directory)
            print("bytes by kind: " + ", ".join(f"{kind} {size / 1e6:.2f} MB" for kind, size in sorted(sizes.items())))


if __name__ == "__main__":
    main()
