# Two commands on a fresh machine: `make run` (the platform, embedded defaults) and
# `make test` (the suite). Each creates the virtual environment and installs what it needs.
PYTHON ?= python3
# Two workers: the suite is mostly waiting on sockets and databases; CI has two cores.
PYTEST_ARGS ?= -n 2
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

WIDGET := builder-ui/dist/widget.js
WIDGET_SOURCES := builder-ui/package.json builder-ui/package-lock.json $(shell find builder-ui/widget -type f -not -path '*/node_modules/*' 2>/dev/null)

.PHONY: run test install migrate widget lock lint-imports clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rozmova needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

install: $(STAMP)

# The embeddable chat widget (TypeScript, built with esbuild): needs Node.js 18+ and npm.
$(WIDGET): $(WIDGET_SOURCES)
	@command -v npm >/dev/null || { echo "the chat widget needs Node.js 18+ and npm to build"; exit 1; }
	cd builder-ui && npm ci --no-audit --no-fund --loglevel=error && npm run build && npm run size

widget: $(WIDGET)

migrate: install
	$(BIN)/rozmova migrate

run: migrate
	@$(MAKE) --no-print-directory widget || echo "(continuing without the web widget: /widget.js answers 503 until it is built)"
	$(BIN)/rozmova serve

test: install widget
	cd builder-ui && npm test --silent
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
