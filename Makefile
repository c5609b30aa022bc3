# 医养通 Yiyang — `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench bench-indicators lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/yiyang demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

test: install lint
	YIYANG_TESTING=1 $(BIN)/yiyang makemigrations --check --dry-run
	YIYANG_TESTING=1 $(BIN)/python -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$TEST_DATABASE_URL"; \
		YIYANG_TESTING=1 DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/python -m pytest; \
	fi

# Benchmarks: ratios measured within one run (bench/README.md); not part of `make test`.
bench: install
	$(BIN)/python bench/import_residents.py $(BENCH_ROWS)

# Indicators and the regulators' dashboard at province scale (bench/README.md); BENCH_ARGS e.g.
# "--homes 100 --residents 20000 --selftest"; DATABASE_URL set: on a fresh PostgreSQL database.
bench-indicators: install
	$(BIN)/python bench/indicators.py $(BENCH_ARGS)

# Regenerate the lock file from pyproject.toml (needs network access to PyPI).
lock:
	$(PYTHON) -m venv /tmp/yiyang-lock && /tmp/yiyang-lock/bin/pip install --quiet pip-tools
	/tmp/yiyang-lock/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev --extra postgres \
		--output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) var/yiyang.sqlite3* var/huey.sqlite3* var/static
