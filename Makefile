# One entry point for people and CI. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
SIZES ?= 10000,100000,1000000
# pytest-xdist processes; `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help install e2e-deps regions-data run migrate demo test test-clock test-fast api-contract screenshots lint format check bench bench-regions loadtest messages requirements clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# The PDFs embed DejaVu Sans (reports/exports.py, settings.PDF_FONT_DIR).
PDF_FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

install: $(STAMP) ## Create .venv, install requirements.txt and the PDF font (fonts-dejavu-core)
	@mkdir -p var
	@if [ ! -f "$(PDF_FONT)" ] && [ -z "$(PDF_FONT_DIR)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-dejavu-core; \
		else \
			echo "The PDF export needs the DejaVu Sans font: install the Debian package fonts-dejavu-core"; \
			echo "(sudo apt-get install fonts-dejavu-core), or set PDF_FONT_DIR to a folder holding"; \
			echo "DejaVuSans.ttf and DejaVuSans-Bold.ttf."; \
		fi; \
	fi

# axe-core for the accessibility test, from npm (pinned in tests/e2e/package-lock.json).
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/e2e --no-audit --no-fund && touch $(AXE); \
	else echo "npm not found: the accessibility test (axe-core) will be skipped"; fi

e2e-deps: $(AXE) ## npm ci --prefix tests/e2e (axe-core), when npm is available

# The official region tree: the npm package idn-area-data, pinned with its
# integrity in regions/edition.py, fetched once from the npm registry into
# var/regions/ (no npm needed). load_regions reads it.
REGIONS_TARBALL := var/regions/idn-area-data-4.0.1.tgz
$(REGIONS_TARBALL): regions/edition.py | $(STAMP)
	$(PY) manage.py load_regions --download-only
	@touch $@

regions-data: install $(REGIONS_TARBALL) ## Fetch the pinned region data package (idn-area-data 4.0.1, ODbL) into var/regions/

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

demo: migrate regions-data ## Load the region tree, the demo accounts, demo signing certificates (NOT for production) and run the reconcile once (all idempotent)
	$(PY) manage.py load_regions --no-download
	$(PY) manage.py make_demo_certificates
	$(PY) manage.py seed_demo
	$(PY) manage.py run_schedule
	$(PY) manage.py issue_documents

# Where `make run` serves. Links in mail and in the iCal feed are built from
# SITE_URL (they leave the request behind: the worker sends the mail), so it
# follows HOST and PORT unless it is set. The target-specific export reaches
# the prerequisites (demo's reconcile) and every process honcho starts.
HOST ?= 127.0.0.1
PORT ?= 8000
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: export HOST := $(HOST)
run: demo ## Set up everything and serve the app with a Celery worker and beat on http://HOST:PORT (default 127.0.0.1:8000)
	@echo ""
	@echo "  Aplikasi / app:  http://$(HOST):$(PORT)/   (Ctrl-C menghentikan semuanya / stops everything)"
	@echo "  Tautan di email dan iCal / links in mail and iCal: $$SITE_URL"
	@echo ""
	$(BIN)/honcho start -f Procfile --port $(PORT)

test: install e2e-deps regions-data ## Run the whole test suite; browser tests need Chromium (/usr/bin/chromium or CHROMIUM_PATH), else skipped
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not transactional" $(PYTEST_ARGS)
	$(BIN)/pytest -m transactional $(PYTEST_ARGS)

api-contract: install ## The API against its OpenAPI schema: openapi-spec-validator, then Schemathesis on the live app with the demo data (>=100 cases per operation; API_SEED=n replays); uses DATABASE_URL's database
	bin/api-contract

# The moved-clock passes (tests/moved_clock.py). The test files are split in
# eight shares by the seed: half of them run at a random moment, and each of
# the four hard moments takes one of the other shares, so every file runs once
# at a moved moment per run (about the time of one suite) and meets each moment
# over a few runs. CLOCK_SEED=n replays a run; the browser journeys and the
# transactional pass are left out. --reuse-db takes the test databases `make
# test` made (a missing one is created).
ifndef CLOCK_SEED
CLOCK_SEED := $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
endif
CLOCK_MOMENTS := leap-day new-year-east lebaran after-long-weekend
CLOCK_PYTEST = $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not transactional and not e2e" --reuse-db -p no:cacheprovider -q --clock-seed $(CLOCK_SEED) $(PYTEST_ARGS)

test-clock: install ## The suite (no browser) with the clock moved: half at a random moment (CLOCK_SEED=n replays it), the rest at leap day, year end, Lebaran, long weekend
	@echo "moved clock: seed $(CLOCK_SEED) (replay: make test-clock CLOCK_SEED=$(CLOCK_SEED))"
	$(CLOCK_PYTEST) --clock random --clock-shard 1-4/8
	@n=4; for moment in $(CLOCK_MOMENTS); do n=$$((n + 1)); \
		$(CLOCK_PYTEST) --clock $$moment --clock-shard $$n/8 || exit 1; done

test-fast: install ## Tests without the browser journeys, reusing the test database
	$(BIN)/pytest --reuse-db -m "not e2e" $(PYTEST_ARGS)

screenshots: install e2e-deps ## Regenerate docs/screenshots/*.png (desktop and phone) from the browser journeys
	E2E_SCREENSHOTS=1 E2E_REQUIRED=1 $(BIN)/pytest tests/e2e -k journey -p no:cacheprovider

lint: install ## ruff check, ruff format --check and the layer contract (lint-imports, pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Django system checks and missing migrations
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: install ## Benchmark the task list (SIZES=10000,100000,1000000; REBUILD=1 rebuilds the kept datasets) and the unit picker's search; uses DATABASE_URL when set
	$(PY) manage.py bench --sizes $(SIZES) $(if $(REBUILD),--rebuild)

bench-regions: install ## Benchmark only the unit picker's search over the full region tree (its own bench database); uses DATABASE_URL when set
	$(PY) manage.py bench --only regions

LOCUST := var/locust-venv/bin/locust
$(LOCUST): requirements-load.txt
	@test -x var/locust-venv/bin/python || $(PYTHON) -m venv var/locust-venv
	var/locust-venv/bin/pip install --quiet -r requirements-load.txt
	@touch $(LOCUST)

loadtest: install $(LOCUST) ## Load test (needs DATABASE_URL=postgres://...): gunicorn + locust on 127.0.0.1, 10^5 tasks
	$(PY) loadtest/run.py

messages: install ## Update the English catalogue and compile it and the Indonesian overrides (needs GNU gettext)
	$(PY) manage.py makemessages -l en --no-obsolete --add-location file --ignore=var
	$(PY) manage.py compilemessages -l en -l id --ignore=.venv --ignore=var

requirements: ## Re-pin requirements.txt from requirements.in in a throwaway venv
	rm -rf var/req-venv && $(PYTHON) -m venv var/req-venv
	var/req-venv/bin/pip install --quiet -r requirements.in
	var/req-venv/bin/pip freeze --exclude-editable | sort -f > requirements.txt
	rm -rf var/req-venv

clean: ## Remove the virtualenv, the SQLite database and other local state
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
