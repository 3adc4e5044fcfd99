# The clean interface between the tools: every target sets itself up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/dagster_home
DASHBOARD := dashboard
NPM_STAMP := $(DASHBOARD)/node_modules/.installed
# the serving copy sits beside the warehouse file (TRADEBLOC_WAREHOUSE, as settings.py reads it)
SERVING := $(abspath $(dir $(or $(TRADEBLOC_WAREHOUSE),warehouse/tradebloc.duckdb))serving)
SERVING_FILE := tradebloc.duckdb
SPARK_STAMP := $(VENV)/.spark-installed
# Evidence's usage statistics would wait on a network the project does not assume
export SEND_ANONYMOUS_USAGE_STATS := no

.PHONY: setup run test test-fast ui sql docs lint sample clean dashboard dashboard-dev dashboard-deps serving-link spark spark-deps

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## land everything in TRADEBLOC_RAW_DIR, build and test every model through Dagster
run: $(STAMP)
	$(BIN)/python -m dagster_project run

## the whole test suite, on three processes (tests/conftest.py says why and how they share)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 3 --dist loadgroup --no-loadscope-reorder

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

## the dashboard (Evidence) as a static site in dashboard/build/, from the serving copy
dashboard: dashboard-deps serving-link
	cd $(DASHBOARD) && npm run --silent sources && npm run --silent build

## the dashboard on http://127.0.0.1:3001, rebuilt as pages are edited
dashboard-dev: dashboard-deps serving-link
	cd $(DASHBOARD) && npm run --silent sources && npm run --silent dev

dashboard-deps: $(NPM_STAMP)

$(NPM_STAMP): $(DASHBOARD)/package-lock.json $(wildcard $(DASHBOARD)/patches/*)
	command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm; }
	cd $(DASHBOARD) && npm ci --no-audit --no-fund
	touch $@

# The dashboard reads the serving copy's Parquet through dashboard/serving; on a fresh
# clone there is none yet, so build the sample first.
serving-link:
	test -e $(SERVING)/$(SERVING_FILE) || { echo "No serving copy in $(SERVING): building it (make run)"; $(MAKE) run; }
	ln -sfn $(SERVING) $(DASHBOARD)/serving

## the same marts built on a local Apache Spark (dbt-spark) and compared with DuckDB's
spark: spark-deps
	$(BIN)/python -m dagster_project spark

# Spark 4 runs on Java 17 or later: Debian's headless JRE where no java is found; PySpark
# and dbt-spark are the `spark` extra (make test needs neither).
spark-deps: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP)
	command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; }
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $@

## regenerate the committed sample under raw/
sample: $(STAMP)
	$(BIN)/python -m dagster_project.sample --out raw

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs $(DASHBOARD)/build $(DASHBOARD)/.evidence $(DASHBOARD)/serving
