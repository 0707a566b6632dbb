# One entry point for people and CI. `make test` is what .ci/run calls.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed

.PHONY: venv install test run models demo-models clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

venv install: $(STAMP)

test: $(STAMP)
	$(VENV)/bin/pytest -q

# Installs models (official ones when the Argos index is reachable, else the demo models) and
# translates the sample article.
run: $(STAMP)
	$(VENV)/bin/glossa models ensure
	$(VENV)/bin/glossa translate -t ru samples/articles/en/kim-visit.txt

models: $(STAMP)
	$(VENV)/bin/glossa models ensure

# Rebuilds models/demo/*.argosmodel from scratch (torch, CPU, about 15 minutes on 2 cores).
demo-models: $(STAMP)
	$(PIP) install -q -c constraints.txt -e '.[train]'
	$(PY) scripts/build_demo_models.py --out models/demo

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
