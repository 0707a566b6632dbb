# One entry point for people and CI. `make lint` and `make test` are what .ci/run calls.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
# The runtime (what `make run`/`make demo` need: no torch, no test tools) and, on top of it, the
# test extra (pytest, Playwright, schemathesis) that only `make test` installs.
STAMP  := $(VENV)/.installed
TESTED := $(VENV)/.installed-test

.PHONY: venv install lint test run demo models demo-models check clean

# --no-compile: Python compiles the modules Glossa imports on first use, not all of numpy's and
# onnxruntime's at install time (a quarter of the install's CPU time).
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --no-compile -c constraints.txt -e .
	touch $(STAMP)

$(TESTED): $(STAMP)
	$(PIP) install -q -c constraints.txt -e '.[test]'
	touch $(TESTED)

venv install: $(STAMP)

# ruff (style, imports, likely bugs) and mypy (types), both from the test extra; settings in pyproject.toml.
lint: $(TESTED)
	$(VENV)/bin/ruff check service tests scripts
	$(VENV)/bin/mypy

test: $(TESTED)
	$(VENV)/bin/pytest -q

# Installs models (official ones when the Argos index is reachable, else the demo models) and
# serves the HTTP API on http://127.0.0.1:8000 (Ctrl-C stops it).
run: $(STAMP)
	$(VENV)/bin/glossa models ensure
	@echo "Glossa: http://127.0.0.1:8000  (API docs: http://127.0.0.1:8000/docs)"
	$(VENV)/bin/glossa serve --host 127.0.0.1 --port 8000

# Translates the sample article from the command line (no server needed).
demo: $(STAMP)
	$(VENV)/bin/glossa models ensure
	$(VENV)/bin/glossa translate -t ru samples/articles/en/kim-visit.txt

models: $(STAMP)
	$(VENV)/bin/glossa models ensure

# Rebuilds models/demo/*.argosmodel from scratch (torch, CPU, about 17 minutes on 2 idle cores).
demo-models: $(STAMP)
	$(PIP) install -q -c constraints.txt -e '.[train]'
	$(PY) -m scripts.build_demo_models --out models/demo

# The glossary's own validation (PO syntax, duplicates, renderings recognition would miss).
check: $(STAMP)
	$(VENV)/bin/glossa glossary check

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
