"""Worker of bench_http.py: the median in-process time (Django's test Client, no HTTP, no server) and the SQL
query count of each path, under the settings and environment it is started with; prints one JSON object.

    DJANGO_SETTINGS_MODULE=... python tests/benchmarks/http_inprocess.py [--pythonpath DIR] [--requests N] PATH...
"""

import argparse
import json
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--pythonpath", default=".")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, args.pythonpath)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    figures = {}
    for path in args.paths:
        for _warm_up in range(3):
            client.get(path)
        times = []
        for _request in range(args.requests):
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
        # Counted apart: capturing queries slows every query down.
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        figures[path] = {"ms": 1000 * statistics.median(times), "status": response.status_code, "queries": len(queries)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
