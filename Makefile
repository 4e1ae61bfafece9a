# The commands a person types. `make html` and `make test` work on a fresh clone:
# they create .venv and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UTILITY ?=
PORT   ?= 8000
JOBS   ?= auto
# SOURCES=<folder>: build the models of another source folder (a utility's own models, or the example
# family in examples/family/competency_src) into _build/sources/<variant>. The folder reaches
# sphinx-build through the environment, quoted, so no character of it is ever read by the shell;
# the build stops with a located error when it is not a folder of models.
SOURCES ?=
export COMPETENCY_SOURCES := $(SOURCES)

# Each variant has its own output and doctrees, so switching variants never serves stale pages.
VARIANT := $(if $(UTILITY),$(UTILITY),generic)
OUT     := _build/$(if $(SOURCES),sources/)$(VARIANT)
TAGS    := $(if $(UTILITY),-t $(UTILITY),)
# Reproducible builds: pages carry the date of the last commit unless SOURCE_DATE_EPOCH is set.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

SPHINX_OPTS := -W --keep-going -n -j $(JOBS) -c . $(if $(SOURCES),-D "competency_source_dir=$$COMPETENCY_SOURCES")

.PHONY: html variants serve live test test-quick bench check lint clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

html: $(BIN)/.installed
	$(BIN)/python -m competency.cli variant-check "$(UTILITY)"
	$(BIN)/sphinx-build -b html $(SPHINX_OPTS) $(TAGS) -d $(OUT)/doctrees docs $(OUT)/.work/html
	$(BIN)/python -m competency.publish $(OUT)/.work/html $(OUT)/html
	@echo "The site is in $(OUT)/html (make serve$(if $(UTILITY), UTILITY=$(UTILITY)) to browse it)."

variants: $(BIN)/.installed
	$(MAKE) html
	for utility in $$($(BIN)/python -m competency.cli variant-check --list); do \
		$(MAKE) html UTILITY=$$utility || exit 1; \
	done

serve:
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(OUT)/html

live: $(BIN)/.installed-dev
	$(BIN)/sphinx-autobuild $(SPHINX_OPTS) $(TAGS) -d $(OUT)/doctrees --port $(PORT) \
		--watch competency_src --watch ext --re-ignore '.*\.comp$$' docs $(OUT)/live

test: $(BIN)/.installed-dev
	$(BIN)/pytest

test-quick: $(BIN)/.installed-dev
	$(BIN)/pytest -m "not browser and not slow"

bench: $(BIN)/.installed-dev
	$(BIN)/python benchmarks/run.py

check: $(BIN)/.installed
	$(BIN)/competency check

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check ext tests benchmarks
	$(BIN)/ruff format --check ext tests benchmarks

clean:
	rm -rf _build
	for marker in docs/*/.competency-generated; do \
		if [ -f "$$marker" ]; then rm -rf "$$(dirname "$$marker")"; fi; \
	done
