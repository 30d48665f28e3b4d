# Everything a new machine needs, from Python 3.11+ and make alone.
# `make run` — set up, refresh the warehouse (your exports in data/inbox/, else the bundled
#              sample) and open the dashboard on http://localhost:8501
# `make test` — set up and run the whole test suite

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compile the packages' bytecode once at install: where PYTHONDONTWRITEBYTECODE is set (many CI
# images and containers) Python would otherwise recompile dagster, pandas and the rest from
# source on every start, ~6 s per command on a 2-core machine.
export UV_COMPILE_BYTECODE := 1

.PHONY: run test install refresh dashboard dagster sample lint bench clean

run: install
	$(BIN)/constellation refresh
	$(BIN)/constellation dashboard

test: install
	$(BIN)/pytest -n 2

install: $(VENV)/.installed

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) pyproject.toml uv.lock Makefile
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

refresh: install
	$(BIN)/constellation refresh

dashboard: install
	$(BIN)/constellation dashboard

# Dagster UI + daemon on http://127.0.0.1:3000: daily schedule, inbox sensor, run history in
# data/dagster_home (see docs/automation.md)
dagster: install
	$(BIN)/constellation dagster

sample: install
	$(BIN)/constellation sample --out data/sample

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# Benchmarks at heavy-user scale (docs/benchmarks.md); not part of `make test`.
# `make bench BENCH_ARGS=--quick` checks in a minute or two that they run.
BENCH_ARGS ?=
bench: install
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(TOOLS) data/*.duckdb data/*.wal
