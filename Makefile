# Set-up and everyday commands. Every target creates .venv and installs the project first,
# so each one works on a bare machine with Python 3.11+.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup assets app store build status test test-fast lint format bench system chromium postgis serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	touch $(STAMP)

setup: $(STAMP) assets

## plotly.js's geo bundle for the maps (1.4 MB instead of 4.8 MB), once, from the npm registry;
## without internet the app serves the plotly package's full bundle.
assets: $(STAMP)
	$(PY) -m dashboard.runtime.plotly_bundle

## Build the store when it is empty (from the live services, or else the local mirror), then run the app.
app: store assets
	$(PY) -m dashboard.runtime.prepare
	$(PY) -m dashboard.runtime.worker run streamlit_app.py

store: $(STAMP)
	$(PY) -m pipelines ensure-store

## Refresh the store from the configured services (cached; FORCE=1 refetches).
build: $(STAMP)
	$(PY) -m pipelines build $(if $(FORCE),--force,)

status: $(STAMP)
	$(PY) -m pipelines status

## Headless Chromium for the browser tests: Debian's package, installed when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q chromium)

## PostgreSQL 15 with PostGIS and GDAL's tools for the PostGIS tests (the tests start and stop
## their own throwaway cluster), and nginx for `make serve`; Debian's packages, when missing.
postgis:
	@{ test -x /usr/lib/postgresql/15/bin/initdb && test -f /usr/share/postgresql/15/extension/postgis.control \
	   && command -v ogrinfo >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1; } \
	  || (apt-get update -q && apt-get install -y -q --no-install-recommends \
	      postgresql-15-postgis-3 gdal-bin nginx)

## Debian's packages the slow tests need (chromium, PostgreSQL/PostGIS, GDAL, nginx).
system: chromium postgis

## Every test: unit, integration against the mirror, PostGIS, app and browser tests.
test: $(STAMP) system assets
	$(PY) -m pytest

## The fast lane: no mirror, no PostgreSQL, no browser (tests/conftest.py marks the rest slow).
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP) system assets
	$(PY) benchmarks/etl.py
	$(PY) benchmarks/app.py
	$(PY) benchmarks/export.py
	$(PY) benchmarks/harmonise.py
	$(PY) benchmarks/first_render.py

## Many users: WORKERS app processes behind nginx on PORT, sticky per browser (see README).
WORKERS ?= 2
PORT ?= 8080
serve: store postgis
	$(PY) -m dashboard.runtime.serve --workers $(WORKERS) --port $(PORT)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
