# JoinedUp developer and CI tasks. `make` (or `make help`) lists them.
# Debian 12 is the reference platform: Python 3.11+, Node 20+, Debian's chromium and postgresql.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.NOTPARALLEL:
MAKEFLAGS += --no-builtin-rules

VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.joinedup-installed
UV_VERSION := 0.13.8
NODE_STAMP := node_modules/.joinedup-installed
ASSETS_STAMP := joinedup/static/dist/.joinedup-built

# Extra arguments for pytest, e.g. make test-sqlite PYTEST_ARGS="-k referral -x"
PYTEST_ARGS ?=
PYTEST := $(VENV)/bin/pytest -n 2 --maxschedchunk 4 $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium (never `playwright install`).
export JOINEDUP_CHROMIUM ?= /usr/bin/chromium

DEMO_ENV := env DEBUG=1 JOINEDUP_DEMO=1

.PHONY: help install assets demo test checks test-deps pdf-deps lint django-check test-sqlite test-postgres audit bench bench-quick clean

help: ## List the targets
	@echo "JoinedUp: make TARGET"
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z_-]+:.*## / { printf "  %-14s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo "Variables: PYTEST_ARGS=\"...\" (extra pytest arguments), JOINEDUP_CHROMIUM=$(JOINEDUP_CHROMIUM)"

install: $(VENV_STAMP) $(NODE_STAMP) $(ASSETS_STAMP) ## Create .venv, install Python and npm packages, build assets (fast when up to date)

$(VENV_STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  python=""; \
	  if command -v python3.11 >/dev/null 2>&1; then python=python3.11; \
	  elif command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then python=python3; \
	  else echo "JoinedUp needs Python 3.11 or newer (python3.11 or python3)" >&2; exit 1; fi; \
	  echo "Creating $(VENV) with $$python"; \
	  "$$python" -m venv $(VENV); \
	fi
	@# uv installs the same pinned packages as pip, fetching them side by side: about 7 s on a
	@# clean machine where pip took over two minutes. pip does the work if uv cannot.
	if $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) && \
	  $(VENV)/bin/uv pip install --quiet --python $(PY) -e ".[dev]"; then :; \
	else \
	  echo "uv could not install the packages: pip will" >&2; \
	  $(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"; \
	fi
	@touch $@

$(NODE_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

$(ASSETS_STAMP): $(NODE_STAMP) scripts/build-assets.mjs $(wildcard assets/scss/*.scss)
	npm run --silent build
	@touch $@

assets: $(NODE_STAMP) ## Rebuild joinedup/static/dist/ (CSS, GOV.UK Frontend, htmx)
	npm run --silent build
	@touch $(ASSETS_STAMP)

demo: pdf-deps install ## Run the demo on http://127.0.0.1:8000/ with demo data (prints the logins)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo_data --verbosity 0
	@# A demo database from an earlier release gets this release's matching keys.
	$(DEMO_ENV) $(PY) manage.py match_keys_rebuild
	@echo
	@echo "================================================================"
	@echo " JoinedUp demo: http://127.0.0.1:8000/   (Ctrl-C stops it)"
	@echo " Sign in with one of these demo logins:"
	@echo "================================================================"
	@$(DEMO_ENV) $(PY) manage.py load_demo_data --logins-only
	@echo "================================================================"
	@echo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: test-deps install checks test-sqlite test-postgres ## Everything CI runs: lint, Django checks, tests on SQLite and PostgreSQL

# mypy keeps one core busy; the other migrates the SQLite test database template meanwhile
# (tests/database_template.py), which every pytest worker then copies instead of migrating.
checks: install
	@status=0; \
	  $(PY) -m tests.database_template sqlite & template=$$!; \
	  $(MAKE) --no-print-directory lint django-check || status=$$?; \
	  wait $$template || status=$$?; \
	  exit $$status

test-deps: pdf-deps ## Install Debian's chromium and postgresql with apt-get if they are missing
	@packages=""; \
	[ -x /usr/bin/chromium ] || packages="$$packages chromium"; \
	compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || packages="$$packages postgresql"; \
	scripts/apt-install.sh $$packages

pdf-deps: ## Install Pango and a font with apt-get if missing (WeasyPrint draws the PDFs with them)
	@/sbin/ldconfig -p | grep -q 'libpangoft2-1.0' || \
	  scripts/apt-install.sh libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

lint: install ## ruff check, ruff format --check, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy joinedup

django-check: install ## manage.py check and makemigrations --check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test-sqlite: test-deps install ## pytest on SQLite (PYTEST_ARGS=... to pass arguments)
	env -u DATABASE_URL $(PY) -m tests.database_template sqlite
	env -u DATABASE_URL $(PYTEST)

# The browser journeys test pages, which are the same on either database: on PostgreSQL only
# those marked both_databases run (the panel's acceptance journey), beside the rest of the
# suite, and tests that use no database are not repeated (scripts/pytest-postgres.sh), keeping
# CI under 20 minutes.
test-postgres: test-deps install ## pytest on a throwaway PostgreSQL server (scripts/with-postgres.sh)
	scripts/with-postgres.sh scripts/pytest-postgres.sh $(PYTEST)

# Needs the internet: pip-audit asks pypi.org's JSON API (or OSV) about each pinned package, and
# npm audit asks the npm registry's advisory service. Where those cannot be reached it fails,
# saying so, rather than report "no vulnerabilities" about packages it never checked (--strict).
audit: install ## Check every installed Python and npm package for known vulnerabilities
	@mkdir -p var
	$(PY) -m pip freeze --exclude-editable --disable-pip-version-check >var/audit-requirements.txt
	$(VENV)/bin/uv tool run --from pip-audit==2.10.1 pip-audit --strict --no-deps --disable-pip \
	  --progress-spinner off --requirement var/audit-requirements.txt
	npm audit

bench: pdf-deps install ## Run every benchmark (writes benchmarks/results/*.json, prints a table)
	$(PY) -m benchmarks

bench-quick: pdf-deps install ## The benchmarks at smaller sizes, for developers (under 5 minutes)
	$(PY) -m benchmarks --quick

clean: ## Remove var/, built assets, collected static files and test artifacts
	rm -rf var joinedup/static/dist staticfiles test-artifacts
