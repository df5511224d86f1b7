# Two commands a new developer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BROWSER_STAMP := node_modules/.browser-tools-installed
DEV := DJANGO_SETTINGS_MODULE=cms.settings.dev
# The suite runs on every core (pytest-xdist), each worker with its own database and files; the 30
# slowest tests are printed so that a slow one is seen. One worker more than there are cores: the tests also wait
# on PostgreSQL, their subprocesses and the browser (on 2 cores, 3 workers took CI from about 20 to 16.5 minutes).
WORKERS ?= $(shell $(PYTHON) -c "import os; print(len(getattr(os, 'sched_getaffinity', lambda _: range(os.cpu_count()))(0)) + 1)")
# Bytecode is written even where the shell sets PYTHONDONTWRITEBYTECODE: otherwise every worker and every
# manage.py a test starts compiles the project and rewrites the tests' asserts again (collection took 9.5 s
# per worker instead of 4.7 s).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/pytest -n $(WORKERS) --durations=30

.PHONY: install port-free run serve migrate seed test test-fast system-deps e2e-deps lint security-check messages benchmark benchmark-http benchmark-faults benchmark-pages-large benchmark-search benchmark-corpus clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEV) $(PY) manage.py seed_demo
	$(DEV) $(PY) manage.py seed_review_demo

# `make run PORT=8001` when 8000 is taken; the port is checked before migrating and seeding.
PORT ?= 8000
port-free: install
	@$(PY) -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); sys.exit(s.bind(('127.0.0.1', $(PORT))) or 0)" 2>/dev/null || { \
	  echo "端口 $(PORT) 已被占用：请关闭占用该端口的程序，或改用其他端口，例如 make run PORT=$$(($(PORT) + 1))"; exit 1; }
run: port-free seed
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian packages the project uses: the outage tests start and kill their own redis-server, the PDF of
# the 信息发布审核单 is checked with poppler's pdftotext, scanned attachments are read by Tesseract
# with its simplified-Chinese model, and the OCR tests draw their images with a Noto CJK font.
SYSTEM_PACKAGES := redis-server poppler-utils apache2-utils tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk
system-deps:
	@{ command -v redis-server >/dev/null && command -v pdftotext >/dev/null && command -v ab >/dev/null && command -v tesseract >/dev/null \
	  && tesseract --list-langs 2>/dev/null | grep -qx chi_sim && fc-list :lang=zh | grep -q .; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); \
	  else echo "请先安装测试所需的系统软件包：sudo apt-get install -y $(SYSTEM_PACKAGES)"; exit 1; fi; }

# Browser tests need Debian's chromium (never a downloaded browser), axe-core from npm, and the Nu
# HTML Checker (npm vnu-jar), which runs on Debian's Java.
e2e-deps: system-deps $(BROWSER_STAMP)
	@{ test -x /usr/bin/chromium && command -v java >/dev/null; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk default-jre-headless; \
	  else echo "请先安装浏览器和 Java：sudo apt-get install -y chromium fonts-noto-cjk default-jre-headless"; exit 1; fi; }

$(BROWSER_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(BROWSER_STAMP)

test: install e2e-deps
	$(PYTEST) -q $(PYTEST_ARGS)

# Everything but the browser tests.
test-fast: install system-deps
	$(PYTEST) -q -m "not e2e" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

# bandit (no high-severity finding) and pip-audit (no known vulnerability in the pinned dependencies);
# an unreachable vulnerability service is a loud warning, a failure with SECURITY_AUDIT_STRICT=1.
security-check: install
	VENV=$(VENV) bash .ci/security-check

messages:
	cd locale && for po in zh_Hans/LC_MESSAGES/*.po; do msgfmt --check -o $${po%.po}.mo $$po; done

benchmark: install
	mkdir -p var/test-main
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/run_benchmarks.py
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_autocheck.py
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_scanner.py
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_catalogue.py
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_letters.py
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_inspection.py
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_pagecache.py
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_export_static.py
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_pages.py

# Every public page type on a portal grown to 2,000 columns, 200,000 articles and 100,000 items (PostgreSQL).
benchmark-pages-large: install
	BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432 DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_pages.py --large

# The ranked search with 1,000 and with 100,000 indexed articles, on SQLite and on PostgreSQL.
benchmark-search: install
	mkdir -p var/test-main
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_search.py
	BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432 DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_search.py

# HTTP load against a bare Wagtail site, publishing under load, PostgreSQL and Redis faults (docs/deployment.md,
# "Benchmarks"). benchmark-http needs PostgreSQL on 127.0.0.1:5432; benchmark-faults starts its own servers.
benchmark-http: install system-deps
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_http.py

benchmark-faults: install system-deps
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_faults.py

# The content checks over a folder or git checkout of real documents: `make benchmark-corpus CORPUS=../laws`.
benchmark-corpus: install
	@test -n "$(CORPUS)" || { echo "请指定文档目录，例如 make benchmark-corpus CORPUS=../Laws"; exit 1; }
	mkdir -p var/test-main
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) tests/benchmarks/bench_corpus.py $(CORPUS)

clean:
	rm -rf $(VENV) node_modules var db.sqlite3
