# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export GOVMAP_DB ?= $(CURDIR)/govmap.db
export GOVMAP_SOURCES_DIR ?= $(abspath $(CURDIR)/../shared/seeds)

.PHONY: run test lint bench load install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	bash scripts/install-system-deps.sh
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed $(VENV)/.installed-test

## run: install, seed the embedded store if it is empty, serve the API and map
run: install
	$(BIN)/govmap serve --host $(HOST) --port $(PORT)

## test: install test needs; the tests start their own Bolt server (ArcadeDB)
test: install-test lint
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .

## bench: timings against a baseline measured in the same process; the figures at
## 10^3-10^5 entities go to benchmarks/results.json as well
bench: install-test
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.scale

## load: a load check on loopback (its own server and store): reads, queries and writes, ~75 s
load: install
	$(BIN)/pip install --quiet -e '.[load]'
	$(BIN)/python -m benchmarks.load

clean:
	rm -rf $(VENV) build dist *.egg-info govmap.db govmap.db-wal govmap.db-shm
