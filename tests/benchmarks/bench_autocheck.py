"""Time of the whole 自动检查 stage on the longest demo page (prints figures, asserts nothing).

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_autocheck.py [--runs N]

Seeds the demo into a throw-away test database, takes the demo page with the most text, and times
`workflows.api.run_checks` (scan of every field, StreamField block and attachment, the repost-source
check, the publication requirements, storing the findings) for the submit phase.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from tests.benchmarks import bench_db  # noqa: E402

bench_db.setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def text_length(page):
    # Not every content type has a summary and a body (a survey has neither).
    return len(page.title) + len(getattr(page, "summary", "")) + len(getattr(page, "body_text", ""))


def longest_demo_page():
    from site_pages.models.columns import content_models

    pages = [page for model in content_models() for page in model.objects.live()]
    return max(pages, key=text_length)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with bench_db.benchmark_database("autocheck", temporary_media=True):
        from workflows.api import newest_revision, run_checks

        call_command("seed_demo", verbosity=0)
        page = longest_demo_page()
        revision = newest_revision(page)
        characters = text_length(page)
        run_checks(page, revision, "submit")  # warm the lexicon automaton and caches
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            run = run_checks(page, revision, "submit")
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        print(
            f"自动检查 stage on the longest demo page: {page.title!r} ({characters} characters of text), "
            f"{connection.vendor}"
        )
        print(
            f"  median {statistics.median(timings):.1f} ms, p90 {timings[int(len(timings) * 0.9) - 1]:.1f} ms, "
            f"min {timings[0]:.1f} ms over {args.runs} runs; {len(run.findings)} findings, "
            f"{len(run.blocking())} blocking"
        )


if __name__ == "__main__":
    main()
