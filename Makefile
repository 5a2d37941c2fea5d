# Two commands: `make run` (demo app on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

TRAIN_VENV := .venv-train

.PHONY: run test test-training lint browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The app alone: what `make run` needs.
$(VENV)/.installed-app: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The app with the test and training tools.
$(VENV)/.installed-test: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-app

run: $(VENV)/.installed-app
	$(BIN)/claimtrack demo
	$(BIN)/claimtrack run

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Browser tests drive Debian's Chromium; install it when missing and we may (root), else they skip.
browser:
	@test -x /usr/bin/chromium || { if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing and this is not root: browser tests will be skipped (sudo apt-get install chromium)"; fi; }

test: lint browser
	$(BIN)/python -m pytest

# The training code's tests need PyTorch (the [train] extra, about 2 GB): a venv of their own.
$(TRAIN_VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(TRAIN_VENV)/bin/python -m pip install --quiet -e ".[test,train]"
	touch $@

test-training: $(TRAIN_VENV)/.installed
	$(TRAIN_VENV)/bin/python -m pytest --training tests/training

bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/splitters.py
	$(BIN)/python bench/audit.py
	$(BIN)/python bench/claim_queue.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/checkworthiness.py
	@echo "bench/load.py needs PostgreSQL and Redis and runs for minutes: run it by hand (docs/deploy.md)"

clean:
	rm -rf $(VENV) $(TRAIN_VENV) instance .pytest_cache test-results
