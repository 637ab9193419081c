# Every target creates .venv itself: on a fresh clone `make demo` and
# `make test` are all the set-up there is.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/istanbul-2025-05
OUT := out

.PHONY: demo test install dev lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

demo: install
	@mkdir -p $(OUT)
	$(BIN)/rashomon compare $(EXAMPLE)
	$(BIN)/rashomon compare $(EXAMPLE) -o $(OUT)/istanbul.html
	@echo "HTML report: $(OUT)/istanbul.html"

lint: dev
	$(BIN)/ruff check src tests benchmarks tools

typecheck: dev
	$(BIN)/mypy

pytest: dev
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: install
	$(BIN)/python benchmarks/compare_speed.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
