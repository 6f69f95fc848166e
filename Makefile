# hm-warehouse: `make demo` builds the demo warehouse, `make test` runs every test.
# Needs only python3 (3.11+) and make; everything else comes from PyPI.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)
# defaults live in the dbt files (data dir: dbt_project.yml var data_dir;
# warehouse: profiles.yml) and the CLI reads them; set DATA_DIR=... to override
DATA_DIR ?=
DATA_DIR_ARG := $(if $(DATA_DIR),--data-dir $(DATA_DIR))
DATA_ENV := $(if $(DATA_DIR),HM_DATA_DIR=$(DATA_DIR))
SCALE ?= demo

.PHONY: java setup data demo build report bench scaling ablation test lint sql-lint sql-fix docs docs-static browser clean registry

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]' 'dbt-core>=1.11,<1.12'
	@command -v java >/dev/null || $(MAKE) --no-print-directory java
	touch $@

## Java 17 for the Spark target (Debian's package; needs root or sudo)
java:
	@echo "java is missing: installing Debian's openjdk-17-jre-headless for the Spark target"
	$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y --no-install-recommends openjdk-17-jre-headless \
		|| { $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update && $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y --no-install-recommends openjdk-17-jre-headless; }

data: setup
	$(BIN)/hm-warehouse generate --scale $(SCALE) $(if $(DATA_DIR),--out $(DATA_DIR)) --if-missing --quiet

## the main job: demo data (generated once), then the whole dbt build into a
## new file, atomically published as warehouse/hm.duckdb (readers never blocked),
## then the EDA report (reports/eda_report.html)
demo: data
	$(BIN)/hm-warehouse build $(DATA_DIR_ARG)
	$(BIN)/hm-warehouse report

## the EDA report from the published warehouse: one self-contained HTML file
report: setup
	$(BIN)/hm-warehouse report

## the same build on the data already in DATA_DIR; dbt flags: make build DBT_ARGS='-s marts'
build: setup
	$(BIN)/hm-warehouse build $(DATA_DIR_ARG) -- $(DBT_ARGS)

## wall time and peak memory of `dbt build` per scale (data/<scale> generated if
## missing), per layer, against a raw DuckDB scan and a pandas notebook, side by
## side in one run: writes benchmarks/results.md, .json, results/<scale>-<date>.json;
## make bench BENCH_SCALES='tiny demo full' BENCH_ARGS='--select +marts +features'
BENCH_SCALES ?= tiny demo
bench: setup
	$(BIN)/hm-warehouse bench --scales $(BENCH_SCALES) $(BENCH_ARGS)

## the scaling study: full (Kaggle size), demo (10%) and small (1%) in one run,
## DuckDB capped at 9 GB; writes benchmarks/scaling.png and README's summary (about 1.5 h)
scaling: setup
	HM_MEMORY_LIMIT=$${HM_MEMORY_LIMIT:-9GB} $(BIN)/hm-warehouse bench --scales full demo small --readme $(BENCH_ARGS)

## the ranker without each feature family and candidate source, on demo data of
## two generator seeds (generated if missing), one build per seed: writes
## benchmarks/ablation/ and README's ablation section
ablation: setup
	$(BIN)/hm-warehouse generate --scale demo --out data/demo --if-missing --quiet
	$(BIN)/hm-warehouse generate --scale demo --seed 43 --out data/demo43 --if-missing --quiet
	$(BIN)/hm-warehouse ablation --data-dirs data/demo data/demo43 --readme

## every test: generator and package (pytest), dbt build + tests on tiny data, lint
test: setup browser data
	$(BIN)/ruff check src pytests python_models
	$(SQLFLUFF_ENV) $(BIN)/sqlfluff lint models analyses --processes 2
	$(BIN)/sqlfluff lint --config src/hm_warehouse/report/queries/.sqlfluff src/hm_warehouse/report/queries
	$(BIN)/pytest

## regenerate the registry's parse-time copy after editing seeds/hm_*.csv
registry: setup
	$(BIN)/hm-warehouse registry

lint: setup
	$(BIN)/ruff check src pytests

## sqlfluff (dbt templater, rules in .sqlfluff) over models/ and analyses/;
## compiles with an in-memory DuckDB, so no built warehouse is needed
SQLFLUFF_ENV := $(DATA_ENV) HM_DUCKDB_PATH=:memory: HM_TEMP_DIR=$(CURDIR)/logs/sqlfluff_tmp
sql-lint: data
	$(SQLFLUFF_ENV) $(BIN)/sqlfluff lint models analyses

sql-fix: data
	$(SQLFLUFF_ENV) $(BIN)/sqlfluff fix models analyses

## headless Chromium for the docs browser test (Debian package `chromium`)
CHROMIUM ?= /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "installing chromium (for pytests/test_docs_browser.py)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; \
	fi

## dbt docs: `make docs` generates the site and serves it on localhost:$(DOCS_PORT);
## `make docs-static` writes the single self-contained file target/static_index.html
DOCS_PORT ?= 8080
docs: setup
	$(DATA_ENV) $(BIN)/dbt docs generate
	$(DATA_ENV) $(BIN)/dbt docs serve --host 127.0.0.1 --port $(DOCS_PORT) --no-browser

docs-static: setup
	$(DATA_ENV) $(BIN)/dbt docs generate --static

clean:
	rm -rf target logs warehouse
