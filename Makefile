# make run   — set up (system libraries, virtual environment) and start the app
# make test  — set up and run the whole test suite headless, with coverage
# make lint  — ruff and mypy;  make bench — the benchmarks;  make dist — the frozen app
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint bench dist setup setup-test clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup:
	scripts/system-deps.sh run
	$(MAKE) $(VENV)/.installed

setup-test:
	scripts/system-deps.sh test
	$(MAKE) $(VENV)/.installed

run: setup
	env -u QT_QPA_PLATFORM $(PY) -m ldn_desktop

test: setup-test
	$(PY) -m pytest --cov=ldn_desktop --cov-branch --cov-report=term $(PYTEST_ARGS)
	$(PY) -m coverage report --include='ldn_desktop/core/*' --fail-under=100

lint: $(VENV)/.installed
	$(PY) -m ruff check ldn_desktop tests bench
	$(PY) -m ruff format --check ldn_desktop tests bench
	$(PY) -m mypy

bench: setup-test
	$(PY) bench/run_all.py

dist: $(VENV)/.installed
	scripts/system-deps.sh dist
	$(VENV)/bin/pyinstaller build.spec --noconfirm --log-level WARN
	scripts/smoke-dist.sh

clean:
	rm -rf build dist .pytest_cache .coverage htmlcov
