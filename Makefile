# hm-warehouse: `make demo` builds the demo warehouse, `make test` runs every test.
# Needs only python3 (3.11+) and make; everything else comes from PyPI.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)
DATA_DIR ?= data/demo
SCALE ?= demo

.PHONY: setup data demo build test lint docs clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

data: setup
	$(BIN)/hm-warehouse generate --scale $(SCALE) --out $(DATA_DIR) --if-missing --quiet

## the main job: demo data (generated once), then the whole dbt build
demo: data
	HM_DATA_DIR=$(DATA_DIR) $(BIN)/dbt build

build: setup
	HM_DATA_DIR=$(DATA_DIR) $(BIN)/dbt build

## every test: generator and package (pytest), dbt build + tests on tiny data, lint
test: setup
	$(BIN)/ruff check src pytests
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src pytests

clean:
	rm -rf target logs warehouse
