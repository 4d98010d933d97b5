# Two commands set cpkit up on a fresh machine: `make demo` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
# Independent test files run in parallel (pytest-xdist), a file's tests on one worker,
# the slowest files first (tests/conftest.py: SLOWEST_FIRST; xdist keeps that order).
PYTEST_JOBS ?= 2
PYTEST_ARGS ?= -n $(PYTEST_JOBS) --dist loadfile --no-loadscope-reorder

.PHONY: demo test install system-deps hub-deps hub lint bench clean docs

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,postgres,dask,docs]'
	rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

system-deps:
	./scripts/system-deps

hub-deps: install
	./scripts/hub-deps $(VENV)

## demo: install, seed the fictional demo cases, serve the apps
demo: install
	$(VENV)/bin/cpkit init
	$(VENV)/bin/cpkit demo --serve

## hub: JupyterHub for a Task Force on this server (the store: CPKIT_DB, PostgreSQL)
hub: hub-deps
	$(VENV)/bin/cpkit hub $(HUB_ARGS)

## test: install (system packages too), start PostgreSQL, run every test
test: install system-deps hub-deps
	$(VENV)/bin/ruff check cpkit tests benchmarks docs
	CPKIT_TEST_PG=$$(./scripts/pg-test-server) $(PY) -m pytest $(PYTEST_ARGS)

## docs: the manual (docs/) as a static site in site/; the CLI reference from the commands' --help
docs: install
	$(VENV)/bin/mkdocs build --strict --site-dir site

lint: install
	$(VENV)/bin/ruff check cpkit tests benchmarks docs

bench: install
	$(PY) benchmarks/cli.py
	$(PY) benchmarks/store.py
	$(PY) benchmarks/dashboard.py
	$(PY) benchmarks/forms.py
	$(PY) benchmarks/known.py

clean:
	rm -rf $(VENV) .pytest_cache site build dist
