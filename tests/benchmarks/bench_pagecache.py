"""In-process time of a page cache hit against an uncached render (cms.pagecache), on the demo county.

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_pagecache.py [--requests N]

Creates a throw-away test database, seeds the demo, and prints for the home page, a column and an article the
median time of a GET through Django's test Client with the page cache off and on (a hit), and the ratio. The HTTP
figures (gunicorn, concurrency, p99) are bench_http.py's.
"""

import argparse
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_db  # noqa: E402


def median_ms(client, url, requests, expected_header):
    times = []
    for _request in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, url
        assert response.get("X-Page-Cache") == expected_header, (url, response.get("X-Page-Cache"))
    return 1000 * statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    bench_db.setup_django()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from site_pages.models import ArticlePage, ColumnPage

    with bench_db.benchmark_database("bench_pagecache"):
        call_command("seed_demo", stdout=StringIO())
        article = ArticlePage.objects.live().public().order_by("path").first()
        urls = {"home": "/", "column": article.get_parent().url, "article": article.url}
        assert ColumnPage.objects.filter(pk=article.get_parent().pk).exists()
        client = Client(HTTP_HOST="127.0.0.1")
        print(f"{'page':<8} {'uncached ms':>12} {'cached hit ms':>14} {'ratio':>7}")
        for name, url in urls.items():
            with override_settings(PAGE_CACHE_ENABLED=False):
                for _warm_up in range(3):
                    client.get(url)
                uncached = median_ms(client, url, args.requests // 4, None)
            with override_settings(PAGE_CACHE_ENABLED=True):
                for _warm_up in range(3):
                    client.get(url)
                cached = median_ms(client, url, args.requests, "hit")
            print(f"{name:<8} {uncached:>12.2f} {cached:>14.3f} {uncached / cached:>6.0f}×")


if __name__ == "__main__":
    main()
