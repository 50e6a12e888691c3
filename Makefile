# Two commands on a fresh machine: `make run` (the platform, embedded defaults) and
# `make test` (the suite). Each creates the virtual environment and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate lock lint-imports clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rozmova needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

install: $(STAMP)

migrate: install
	$(BIN)/rozmova migrate

run: migrate
	$(BIN)/rozmova serve

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint-imports: install
	$(BIN)/lint-imports

# Re-pin every dependency after changing pyproject.toml.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet -e '.[test]'
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^rozmova' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) .pytest_cache
