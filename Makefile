# Every target builds .venv itself; a stamp keeps re-runs quick.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
TSTAMP  := $(VENV)/.installed-test

.PHONY: demo test test-fast lint typecheck unit bench serve clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP) $@

demo: $(STAMP)
	$(BIN)/switchboard shell --as alice@example.com

lint: $(TSTAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n 4

# The inner loop (under a minute on 2 cores): units, provider integration, contract tests and
# the end-to-end flows in-process (tests/helpers/harness.py), on SQLite, without the long ones
# (marked slow: processes, installs, real sockets (`served`), PostgreSQL, deliberate waits).
# tests/resilience (faults, load, limits) runs in `make test`.
test-fast: $(TSTAMP)
	$(BIN)/pytest -n 2 -m "not slow" tests/unit tests/integration tests/contract tests/e2e

bench: $(TSTAMP)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench

serve: $(STAMP)
	$(BIN)/switchboard serve

clean:
	rm -rf $(VENV) switchboard.db .mypy_cache .ruff_cache .pytest_cache
