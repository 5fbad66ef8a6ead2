# Every target creates or updates .venv itself: a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-large clean venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/clientcore sample --count 2000 --seed 0 --out build/sample.csv
	$(BIN)/clientcore check build/sample.csv --today 2026-01-01 || test $$? -eq 1

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy --strict src

test: lint
	$(BIN)/python -m pytest --cov --cov-report=term -q -p no:cacheprovider

# Every script measures the same way (bench/_common.py); see bench/README.md for the figures.
BENCH_SIZES ?= 10000,100000

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script --sizes $(BENCH_SIZES) || exit 1; done
	$(BIN)/python bench/import_time.py
	$(BIN)/python bench/sample_time.py --sizes $(BENCH_SIZES)

# The same with 1,000,000 parties as well (tens of minutes and several GB of memory).
bench-large: BENCH_SIZES = 10000,100000,1000000
bench-large: bench

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache .coverage
