# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install browser clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

NODE_STAMP := node_modules/.installed

# The page checkers of the suite (axe-core, the Nu HTML Checker), pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

## Load the demo data, publish the site, serve it and the back office on :5000
demo: $(STAMP)
	$(BIN)/sunshine demo

## Lint, then the whole suite on SQLite, and again on PostgreSQL when
## SUNSHINE_TEST_POSTGRES_URL is set.
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q
	@if [ -n "$$SUNSHINE_TEST_POSTGRES_URL" ]; then \
		echo "== again on PostgreSQL: $$SUNSHINE_TEST_POSTGRES_URL"; \
		SUNSHINE_TEST_DATABASE_URL="$$SUNSHINE_TEST_POSTGRES_URL" $(BIN)/pytest -q -m "not browser and not no_database"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules instance build .pytest_cache

# The back office's English catalog: extract the marked messages, merge translations, compile the .mo.
messages: $(STAMP)
	$(BIN)/python -m sunshine.site.i18n_catalog
