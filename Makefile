# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501

.PHONY: setup run test lint bench bench-scale mutation template i18n-extract i18n-update clean

# The first install takes a few minutes: each step says what it does, and pip shows every
# package it fetches with a progress bar, so a newcomer never stares at a silent terminal.
$(STAMP): requirements.txt pyproject.toml
	@echo "[1/4] Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "[2/4] Updating pip"
	$(PY) -m pip install --quiet --upgrade pip
	@echo "[3/4] Installing the pinned requirements (one line per package)"
	$(PY) -m pip install --progress-bar on --no-color -r requirements.txt
	@echo "[4/4] Installing the capacity package itself"
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)
	@echo "Set-up complete."

setup: $(STAMP)

run: setup
	$(PY) -m capacity init --port $(PORT)
	$(VENV)/bin/streamlit run app.py --server.address localhost --server.port $(PORT) --server.headless true \
		--server.maxUploadSize $$($(PY) -c 'from capacity.upload import whole_megabytes_limit as mb; print(mb())')

test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2 --dist loadgroup

lint: setup
	$(PY) -m ruff check .

bench: setup
	$(PY) -m benchmarks

# The pages at 2,000 and 20,000 organisations on SQLite and PostgreSQL (README, Performance).
bench-scale: setup
	$(PY) -m benchmarks --only scale

# Mutation testing of the scoring engine (about 20 minutes on two cores; see README).
mutation: setup
	$(PY) -m pip install --quiet -r requirements-mutation.txt
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2
	$(VENV)/bin/mutmut results

template: setup
	for lang in en tr ar; do $(PY) -m capacity template --lang $$lang --out assessments/questionnaire-template-$$lang.xlsx; done

# Re-extract every translatable string and merge it into the catalogs.
i18n-update: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k t -k N_ -k tn:1,2 --no-location --no-wrap --sort-output -o src/capacity/locales/capacity.pot .
	$(VENV)/bin/pybabel update -i src/capacity/locales/capacity.pot -d src/capacity/locales -D capacity --no-fuzzy-matching --ignore-obsolete --no-wrap

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
