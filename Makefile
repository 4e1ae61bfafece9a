# The commands a person types. `make html` and `make test` work on a fresh clone:
# they create .venv and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UTILITY ?=
PORT   ?= 8000
JOBS   ?= auto
# SOURCES=<folder>: build the models of another source folder (a utility's own models, or the example
# family in examples/family/competency_src) into _build/sources/<variant>. Like every variable, it
# is checked below and reaches the build through the environment, quoted.
SOURCES ?=

# No variable reaches a shell as code. Each one a person may set is checked here, by make's own text
# functions on its unexpanded value (no shell, no $(...) in it ever runs), and recipes read it from the
# environment, quoted ("$$UTILITY"), never pasted into a command line.
_space := $(subst ,, )
_tab := $(subst ,,	)
_allowed := a b c d e f g h i j k l m n o p q r s t u v w x y z A B C D E F G H I J K L M N O P Q R S T U V W X Y Z \
	0 1 2 3 4 5 6 7 8 9
# What is left of a value once the allowed characters are taken out (a space or tab counts as "!").
_rest = $(if $(2),$(call _rest,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,$(words $(2)),$(2))),$(1))
_unsafe = $(call _rest,$(subst $(_tab),!,$(subst $(_space),!,$(value $(1)))),$(_allowed) $(2))
# $(call _require,VARIABLE,more allowed characters,what it must be)
_require = $(if $(call _unsafe,$(1),$(2)),$(error $(1) must be $(3); got: $(value $(1))))
$(call _require,UTILITY,_ -,empty or a utility name (letters, digits, _ and -))
$(call _require,PORT,,a port number)
$(call _require,JOBS,,'auto' or a number of processes)
$(call _require,PYTHON,_ - . / +,a Python command (a name or path))
$(call _require,SOURCE_DATE_EPOCH,,a number of seconds)
$(call _require,SOURCES,_ - . /,empty or a folder of this checkout (letters, digits, _ - . /))
export UTILITY PORT JOBS SOURCES

# Reproducible builds: pages carry the date of the last commit unless SOURCE_DATE_EPOCH is set.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: html docs variants site serve serve-docs live test test-quick test-docs test-incremental-long bench check lint clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# One entry point: checks UTILITY and JOBS, waits for another build of this checkout, builds into
# _build/<variant>/.work/html and publishes _build/<variant>/html (ext/competency/publishing/build_site.py).
html: $(BIN)/.installed
	$(BIN)/python -m competency.publishing.build_site $${SOURCES:+--sources "$$SOURCES" --out _build/sources} --utility "$$UTILITY" --jobs "$$JOBS"

# The tool's own documentation (manual/), a site of its own beside the reference staff site, whose
# object inventory its examples link into: the generic site is built first.
DOCS_OUT := _build/docs

docs: $(BIN)/.installed-dev
	$(MAKE) html UTILITY=
	$(BIN)/sphinx-build -b html -W --keep-going -n -j "$$JOBS" -c manual -d $(DOCS_OUT)/doctrees manual $(DOCS_OUT)/.work/html
	$(BIN)/python -m competency.publishing.swap --doctrees $(DOCS_OUT)/doctrees $(DOCS_OUT)/.work/html $(DOCS_OUT)/html
	@echo "The tool's documentation is in $(DOCS_OUT)/html (make serve-docs to browse it)."

variants: $(BIN)/.installed
	$(MAKE) html
	for utility in $$($(BIN)/python -m competency.cli variant-check --list); do \
		$(MAKE) html "UTILITY=$$utility" || exit 1; \
	done

# Every variant, then one site of them all in _build/site (what .github/workflows/site.yml does with
# one job per variant).
site: variants
	$(BIN)/python -m competency.publishing.assemble_site --build _build --out _build/site

serve:
	$(BIN)/python -m competency.cli variant-check "$$UTILITY"
	$(BIN)/python -m http.server "$$PORT" --bind 127.0.0.1 --directory "_build/$${SOURCES:+sources/}$${UTILITY:-generic}/html"

# From _build/, so the documentation's links into the reference site (../../generic/html/) work.
serve-docs:
	@echo "Serving http://127.0.0.1:$$PORT/docs/html/"
	$(BIN)/python -m http.server "$$PORT" --bind 127.0.0.1 --directory _build

# Its own doctrees: a preview never shares Sphinx's state with `make html`.
live: $(BIN)/.installed-dev
	$(BIN)/python -m competency.cli variant-check "$$UTILITY"
	$(BIN)/sphinx-autobuild -W --keep-going -n -j "$$JOBS" -c . $${UTILITY:+-t "$$UTILITY"} \
		-d "_build/$${UTILITY:-generic}/.live-doctrees" --port "$$PORT" \
		--watch competency_src --watch ext --re-ignore '.*\.comp$$' docs "_build/$${UTILITY:-generic}/live"

test: $(BIN)/.installed-dev
	$(BIN)/pytest

test-quick: $(BIN)/.installed-dev
	$(BIN)/pytest -m "not browser and not slow"

# The tests of the sites themselves: the staff site holds no tool page, the tool's documentation builds
# clean and every link resolves, a site made by `competency init` builds; axe on both sites.
test-docs: $(BIN)/.installed-dev
	$(BIN)/pytest tests/test_two_sites.py tests/browser/test_docs_site.py
# The property "an incremental build equals a clean build", searched longer than in `make test`.
test-incremental-long: $(BIN)/.installed-dev
	INCREMENTAL_EXAMPLES="$${INCREMENTAL_EXAMPLES:-40}" INCREMENTAL_STEPS="$${INCREMENTAL_STEPS:-12}" \
		$(BIN)/pytest tests/test_incremental_equals_clean.py

bench: $(BIN)/.installed-dev
	$(BIN)/python -m benchmarks.run

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
