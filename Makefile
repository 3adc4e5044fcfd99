# The clean interface between the tools: every target sets itself up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/dagster_home

.PHONY: setup run test test-fast ui sql docs lint sample clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## land everything in TRADEBLOC_RAW_DIR, build and test every model through Dagster
run: $(STAMP)
	$(BIN)/python -m dagster_project run

## the whole test suite, on two processes
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadgroup

## the inner loop: no end-to-end build, fewer property examples (under a minute)
test-fast: $(STAMP)
	$(BIN)/ruff check .
	TRADEBLOC_PROPERTY_EXAMPLES=5 $(BIN)/python -m pytest -n 2 -m "not e2e and not benchmark and not slow"

## the Dagster UI on http://127.0.0.1:3000
ui: $(STAMP)
	$(BIN)/python -m dagster_project prepare
	$(BIN)/dagster dev -m dagster_project.definitions -h 127.0.0.1 -p 3000

## an interactive read-only SQL prompt on the published serving copy
sql: $(STAMP)
	$(BIN)/tradebloc sql

## the dbt docs site (lineage, column descriptions) on http://127.0.0.1:8080
docs: $(STAMP)
	$(BIN)/python -m dagster_project docs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## regenerate the committed sample under raw/
sample: $(STAMP)
	$(BIN)/python -m dagster_project.sample --out raw

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs
