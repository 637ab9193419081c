# Every target creates .venv itself: on a fresh clone `make demo` and
# `make test` are all the set-up there is.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/istanbul-2025-05
OUT := out

.PHONY: demo test install dev lint typecheck pytest bench fuzz quality clean

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

# Longer fuzzing than `make test` runs: Hypothesis at 10,000 examples a property, then each
# atheris target for FUZZ_SECONDS (corpora kept in build/fuzz/, crashes written to build/fuzz/).
FUZZ_SECONDS ?= 60
fuzz: dev
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q tests/fuzz/test_properties.py
	@mkdir -p build/fuzz
	for target in decode_text jsonl_line warc feed opml url; do \
		$(BIN)/python tests/fuzz/atheris_targets.py $$target -max_total_time=$(FUZZ_SECONDS) \
			-timeout=10 -rss_limit_mb=1024 -artifact_prefix=build/fuzz/ || exit 1; \
	done

# Quality on the development stories (needs ../shared; each part says "skipped" without it): every gold
# story scored by ../shared/eval/score.py, ECB+ dev fact alignment, facts that repeat each other, and the metamorphic suite
# (QUALITY_STORIES stories a corpus; empty for all).
QUALITY_STORIES ?= 25
quality: dev
	@if [ -f ../shared/eval/run_gold.py ]; then $(PYTHON) ../shared/eval/run_gold.py $(BIN)/rashomon; \
	else echo "gold stories: skipped (../shared/eval is absent)"; fi
	cd benchmarks && ../$(BIN)/python facts_ecbplus.py --split dev
	cd benchmarks && ../$(BIN)/python fact_duplicates.py $(if $(QUALITY_STORIES),--limit $(QUALITY_STORIES))
	cd benchmarks && ../$(BIN)/python metamorphic.py $(if $(QUALITY_STORIES),--limit $(QUALITY_STORIES))
	cd benchmarks && ../$(BIN)/python speakers_basil.py
	cd benchmarks && ../$(BIN)/python loaded_basil.py
	cd benchmarks && ../$(BIN)/python loaded_babe.py
	cd benchmarks && ../$(BIN)/python summary_neus.py $(if $(QUALITY_STORIES),--limit $(QUALITY_STORIES))
	cd benchmarks && ../$(BIN)/python stories.py
	cd benchmarks && ../$(BIN)/python grouping_order.py

bench: install
	$(BIN)/python benchmarks/compare_speed.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
