# Two commands: `make run` (demo app on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint browser bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/claimtrack demo
	$(BIN)/claimtrack run

lint: $(STAMP)
	$(BIN)/ruff check .

# Browser tests drive Debian's Chromium; install it when missing and we may (root), else they skip.
browser:
	@test -x /usr/bin/chromium || { if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing and this is not root: browser tests will be skipped (sudo apt-get install chromium)"; fi; }

test: lint browser
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/splitters.py
	$(BIN)/python bench/audit.py
	$(BIN)/python bench/claim_queue.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/checkworthiness.py
	@echo "bench/load.py needs PostgreSQL and Redis and runs for minutes: run it by hand (docs/deploy.md)"

clean:
	rm -rf $(VENV) instance .pytest_cache
