# Two commands on a fresh machine: `make run` (the platform, embedded defaults) and
# `make test` (the suite). Each creates the virtual environment and installs what it needs.
PYTHON ?= python3
# Two workers: the suite is mostly waiting on sockets and databases; CI has two cores.
PYTEST_ARGS ?= -n 2
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The browser code (builder-ui/): the embeddable chat widget and the visual builder, built
# together; rebuilt when any of their sources changed since the last build.
UI_STAMP := builder-ui/dist/.built
UI_SOURCES := $(wildcard builder-ui/package.json builder-ui/package-lock.json builder-ui/vite.config.ts builder-ui/tsconfig*.json) $(shell find builder-ui/widget builder-ui/builder builder-ui/scripts -type f -not -path '*/node_modules/*' 2>/dev/null)

.PHONY: run test test-python install migrate widget lock lint-imports clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rozmova needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

install: $(STAMP)

# The widget (esbuild) and the builder (Vite): need Node.js 20.19+ and npm.
$(UI_STAMP): $(UI_SOURCES)
	@command -v npm >/dev/null || { echo "the widget and the builder need Node.js 20.19+ and npm to build"; exit 1; }
	cd builder-ui && npm ci --no-audit --no-fund --loglevel=error && npm run build && npm run size
	@touch $@

widget: $(UI_STAMP)

migrate: install
	$(BIN)/rozmova migrate

run: migrate
	@$(MAKE) --no-print-directory widget || echo "(continuing without the widget and the builder: /widget.js and /builder answer 503 until they are built)"
	$(BIN)/rozmova serve

test: install widget
	cd builder-ui && npm test --silent
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The Python suite alone (CI's second pass, on PostgreSQL + Redis: the browser code's own
# tests touch no database and ran in the first).
test-python: install widget
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
	rm -rf $(VENV) .pytest_cache builder-ui/node_modules builder-ui/dist
