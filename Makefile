# c360graph developer commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LINT_DIR := tools/cypher-lint
GRAPHIQL_DIR := tools/graphiql
VENDOR_DIR := c360graph/api/static/vendor
# Copied from $(GRAPHIQL_DIR)/node_modules; graphiql.min.js last, as it is the rule's target
GRAPHIQL_ASSETS := react/umd/react.production.min.js react-dom/umd/react-dom.production.min.js \
	graphiql/graphiql.min.css graphiql/graphiql.min.js
SAMPLE_DIR ?= data/sample
SAMPLE_CUSTOMERS ?= 2000
PYTEST_ARGS ?=

.PHONY: help install lint test test-slow demo bench stop clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "c360graph needs Python 3.11+; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[local,dev]'
	@touch $@

$(LINT_DIR)/node_modules/.package-lock.json: $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the Cypher lint (Node 20+)"; exit 1; }
	npm ci --prefix $(LINT_DIR) --no-audit --no-fund --loglevel=error
	@touch $@

# GraphiQL at /graphql loads these from /static/vendor/, never from a CDN
$(VENDOR_DIR)/graphiql.min.js: $(GRAPHIQL_DIR)/package.json $(GRAPHIQL_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for GraphiQL's assets (Node 20+)"; exit 1; }
	npm ci --prefix $(GRAPHIQL_DIR) --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR_DIR)
	cp $(addprefix $(GRAPHIQL_DIR)/node_modules/,$(GRAPHIQL_ASSETS)) $(VENDOR_DIR)/
	@touch $@

install: $(BIN)/.installed $(LINT_DIR)/node_modules/.package-lock.json $(VENDOR_DIR)/graphiql.min.js ## Build .venv (CLI: .venv/bin/c360), the Cypher linter and GraphiQL

lint: install ## ruff, mypy and Neo4j's Cypher grammar over cypher/
	$(BIN)/ruff check c360graph tests bench
	$(BIN)/ruff format --check c360graph tests bench
	$(BIN)/mypy
	node $(LINT_DIR)/lint.mjs cypher

test: lint ## Lint, then the whole test suite against a real local graph server
	$(BIN)/pytest -m "not slow" $(PYTEST_ARGS)

test-slow: install ## Long tests (faults, load, scale)
	$(BIN)/pytest -m slow $(PYTEST_ARGS)

demo: install ## Start the local graph, generate sample data, ingest it, say what next
	$(BIN)/c360 db start
	@test -f $(SAMPLE_DIR)/manifest.yaml || $(BIN)/c360 generate --customers $(SAMPLE_CUSTOMERS) --out $(SAMPLE_DIR)
	$(BIN)/c360 ingest $(SAMPLE_DIR)/manifest.yaml
	$(BIN)/c360 resolve
	$(BIN)/c360 evaluate --truth $(SAMPLE_DIR)/ground_truth.csv
	$(BIN)/c360 db status
	@echo
	@echo "Next:"
	@echo "  .venv/bin/c360 --help                 every command"
	@echo "  .venv/bin/c360 export identities      one row per record with its identity id"
	@echo "  .venv/bin/c360 explain A B            why two records (source:id) are one person, or not"
	@echo "  $(SAMPLE_DIR)/ the sample source files; ground_truth.csv says who is who"
	@echo "  docs/model.md, docs/resolution.md     the graph model and the matching model"
	@echo "  make stop                             stop the local graph server"

$(BIN)/.bench-installed: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[local,dev,bench]'
	@touch $@

bench: install $(BIN)/.bench-installed ## Benchmarks (prints figures beside same-run baselines)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/resolve.py

stop: ## Stop the local graph server
	@test -x $(BIN)/c360 && $(BIN)/c360 db stop || true

clean: stop ## Remove the venv, local graph data, sample data and npm builds
	rm -rf $(VENV) .c360 $(SAMPLE_DIR) $(LINT_DIR)/node_modules $(GRAPHIQL_DIR)/node_modules $(VENDOR_DIR)
