# PMO Lab: the two commands are `make report` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MONTH ?= 2026-10
# test processes for make test (each test file runs whole on one); WORKERS=1 for one process
WORKERS ?= 2

.PHONY: setup report test test-fast lint notebooks lab app screenshots bench bench-leveling bench-demand bench-import bench-store bench-app bench-browser docs sample clean

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "PMO Lab needs Python 3.11 or newer ($(PY) is older)"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "Installing PMO Lab into $(VENV) (first run only; takes a few minutes)..."
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install (re-installs when pyproject.toml changes)

report: $(STAMP) ## the monthly report of every sample portfolio for the sample's month ($(MONTH)), with its trends
	@$(BIN)/pmo validate datasets/sample
	@test -f reports/pmo.duckdb || { echo "Building the sample's history (first run only): every month before $(MONTH) as it stood..."; \
		$(BIN)/pmo snapshot datasets/sample --backfill --before $(MONTH) --store reports/pmo.duckdb > /dev/null; }
	@$(BIN)/pmo report --month $(MONTH) --all --data datasets/sample --out reports
	@echo "Open reports/$(MONTH)/index.html in a browser (Excel workbooks and executed notebooks are beside it)."

test: $(STAMP) ## the whole suite: unit, property, CLI, notebooks (nbval), doctests; WORKERS=1 runs it in one process
	$(BIN)/python -m pytest $(if $(filter 1,$(WORKERS)),,-n $(WORKERS) --dist loadfile)

test-fast: $(STAMP) ## the quick set, without notebooks and slow tests
	$(BIN)/python -m pytest -m "not slow and not notebook" tests

lint: $(STAMP)
	$(BIN)/ruff check pmo_lib tests benchmarks
	$(BIN)/ruff format --check pmo_lib tests benchmarks

notebooks: $(STAMP) ## re-execute every notebook in place so stored outputs are fresh
	$(BIN)/python -m pmo_lib.notebook_refresh

app: $(STAMP) ## the browser app on http://127.0.0.1:8866/ (planner, report library, data check, selection)
	$(BIN)/pmo app --reports reports

screenshots: $(STAMP) ## refresh docs/screenshots from the browser tests (needs /usr/bin/chromium)
	PMO_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_app_browser.py

lab: $(STAMP) ## open JupyterLab on the repository
	$(BIN)/jupyter lab --notebook-dir=.

bench: $(STAMP) ## speed, as ratios against a floor or peer measured in the same run
	@$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/planner.py

bench-leveling: $(STAMP) ## levelling: PSPLIB j30/j120 at 1,000/5,000 schedules x 3 seeds, CP-SAT on j120, 50,000 on both (seed 1), the 2,000-project portfolio (about 55 minutes; needs ../shared/psplib)
	$(BIN)/python benchmarks/psplib.py --sets j30 --budgets 1000 5000 --seeds 1 2 3
	$(BIN)/python benchmarks/psplib.py --sets j120 --budgets 1000 5000 --seeds 1 2 3 --exact 2
	$(BIN)/python benchmarks/psplib.py --sets j30 j120 --budgets 50000 --seeds 1
	$(BIN)/python benchmarks/leveling_portfolio.py

bench-demand: $(STAMP) ## portfolio selection: 1,000 proposals x 12 quarters x 25 roles, HiGHS vs CP-SAT vs greedy (about 5 minutes)
	$(BIN)/python benchmarks/demand.py

bench-import: $(STAMP) ## importing a 20,000-task MS Project XML and XER (MPXJ writes them; needs Java)
	$(BIN)/python benchmarks/importers.py

bench-store: $(STAMP) ## the history store on the 2,000-project month: one snapshot, a 24-month trend, against Parquet
	$(BIN)/python benchmarks/store.py

bench-app: $(STAMP) ## pmo app in Chromium: first paint of each page, key press to paint, 1/2/5 people, sample and 2,000 projects
	$(BIN)/python benchmarks/app_browser.py --large

bench-browser: $(STAMP) ## the what-if planner in JupyterLab, driven by headless Chromium (apt-get install chromium)
	@$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/planner_browser.py

docs: $(STAMP) ## regenerate the data dictionary and the glossary's column list from the schemas
	$(BIN)/python -m pmo_lib.dictionary

sample: $(STAMP) ## regenerate datasets/sample from the seeded generator
	$(BIN)/pmo synth datasets/sample

clean:
	rm -rf reports .pytest_cache .hypothesis
