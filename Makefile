# c360graph developer commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LINT_DIR := tools/cypher-lint
GRAPHIQL_DIR := tools/graphiql
EXPLORER_DIR := tools/explorer
# @neo4j/graphql on the same graph: bench/api.py's peer on Neo4j
PEER_DIR := tools/neo4j-graphql-peer
# The local Neo4j engine (C360_ENGINE=neo4j): a pinned Maven module, built into an ignored folder
NEO4J_DIR := tools/neo4j-server
NEO4J_DIST := $(NEO4J_DIR)/target/neo4j
VENDOR_DIR := c360graph/api/static/vendor
# Copied from $(GRAPHIQL_DIR)/node_modules; graphiql.min.js last, as it is the rule's target
GRAPHIQL_ASSETS := react/umd/react.production.min.js react-dom/umd/react-dom.production.min.js \
	graphiql/graphiql.min.css graphiql/graphiql.min.js
# Copied from $(EXPLORER_DIR)/node_modules: Cytoscape.js draws the explorer's identity graph
EXPLORER_ASSETS := cytoscape/dist/cytoscape.esm.min.mjs
SAMPLE_DIR ?= data/sample
SAMPLE_CUSTOMERS ?= 2000
PYTEST_ARGS ?=
API_PORT ?= 8000
API_PID := .c360/api.pid

.PHONY: help install spark neo4j neo4j-if-possible graphql-peer browser cypher lint test test-slow demo api-start bench stop clean

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

# The explorer at / loads this from /static/vendor/, never from a CDN
$(VENDOR_DIR)/cytoscape.esm.min.mjs: $(EXPLORER_DIR)/package.json $(EXPLORER_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the explorer's assets (Node 20+)"; exit 1; }
	npm ci --prefix $(EXPLORER_DIR) --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR_DIR)
	cp $(addprefix $(EXPLORER_DIR)/node_modules/,$(EXPLORER_ASSETS)) $(VENDOR_DIR)/
	@touch $@

$(PEER_DIR)/node_modules/.package-lock.json: $(PEER_DIR)/package.json $(PEER_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the @neo4j/graphql peer (Node 20+)"; exit 1; }
	npm ci --prefix $(PEER_DIR) --no-audit --no-fund --loglevel=error
	@touch $@

graphql-peer: $(PEER_DIR)/node_modules/.package-lock.json ## Install @neo4j/graphql, bench/api.py's peer on Neo4j (npm ci)

# Needs JDK 17+ and Maven; downloads from Maven Central once, then runs offline.
# Wiped first, so a version bump leaves no stale jar on the classpath.
$(NEO4J_DIST)/.built: $(NEO4J_DIR)/pom.xml $(NEO4J_DIR)/neo4j.conf $(wildcard $(NEO4J_DIR)/src/main/java/c360graph/neo4j/*.java)
	@command -v java >/dev/null || { echo "the Neo4j engine needs a JDK 17+: apt-get install openjdk-17-jdk-headless (or use C360_ENGINE=arcadedb)"; exit 1; }
	@command -v mvn >/dev/null || { echo "the Neo4j engine is built with Maven: apt-get install maven (or use C360_ENGINE=arcadedb)"; exit 1; }
	rm -rf $(NEO4J_DIST)
	mvn -q -B -Dstyle.color=never -f $(NEO4J_DIR)/pom.xml package
	cp $(NEO4J_DIR)/neo4j.conf $(NEO4J_DIST)/
	@touch $@

neo4j: $(NEO4J_DIST)/.built ## Build the local Neo4j 5.26 engine, APOC, GDS, Browser (JDK 17 + Maven)

# make demo and make test: Neo4j when this machine can build it, else ArcadeDB with a note
neo4j-if-possible:
	@if command -v java >/dev/null && command -v mvn >/dev/null; then \
	  $(MAKE) --no-print-directory neo4j || echo "note: the Neo4j engine did not build (see above), so the local graph is ArcadeDB"; \
	else \
	  echo "note: no JDK 17 + Maven here, so the local graph is ArcadeDB (install them and run make neo4j for Neo4j)"; \
	fi

install: $(BIN)/.installed $(LINT_DIR)/node_modules/.package-lock.json $(VENDOR_DIR)/graphiql.min.js $(VENDOR_DIR)/cytoscape.esm.min.mjs ## Build .venv (CLI: .venv/bin/c360), the Cypher linter, GraphiQL and the explorer

$(BIN)/.spark-installed: $(BIN)/.installed
	@command -v java >/dev/null || { echo "pyspark needs a Java 17 runtime: apt-get install openjdk-17-jre-headless"; exit 1; }
	$(BIN)/pip install --quiet -e '.[local,dev,spark]'
	@touch $@

spark: $(BIN)/.spark-installed ## Install pyspark for c360 resolve --backend spark (Java 17 needed)

# tests/browser drive Debian's chromium through Playwright, which cannot download its own here
browser: ## Install chromium from Debian (for tests/browser) unless it is on the PATH
	@command -v chromium >/dev/null && exit 0; \
	command -v apt-get >/dev/null || { echo "tests/browser need chromium, and apt-get is not here: install chromium yourself and put it on the PATH"; exit 1; }; \
	test "$$(id -u)" = 0 || { echo "installing chromium needs root: run sudo apt-get install -y chromium chromium-driver, then make test again"; exit 1; }; \
	echo "installing chromium and chromium-driver (apt-get) for the browser tests"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver

# The Cypher that repeats per identifier kind, rendered from c360graph/graph/schema.py through
# cypher/templates/; tests/unit/test_rendered_cypher.py fails when the files are stale
cypher: $(BIN)/.installed ## Re-render the per-identifier-kind Cypher files from the schema
	$(BIN)/python -m c360graph.graph.render

lint: install ## ruff, mypy and Neo4j's Cypher grammar over cypher/
	$(BIN)/ruff check c360graph tests bench
	$(BIN)/ruff format --check c360graph tests bench
	$(BIN)/mypy
	node $(LINT_DIR)/lint.mjs cypher

# Unit tests once; the suites that talk to a graph on each engine (Neo4j when it is built)
ENGINE_SUITES := tests/integration tests/api tests/browser
test: lint browser neo4j-if-possible ## Lint, unit tests, then the graph suites on ArcadeDB and on Neo4j
	$(BIN)/pytest -m "not slow" tests/unit $(PYTEST_ARGS)
	$(BIN)/pytest -m "not slow" --engine arcadedb $(ENGINE_SUITES) $(PYTEST_ARGS)
	@if test -f $(NEO4J_DIST)/.built; then \
	  echo "$(BIN)/pytest -m \"not slow\" --engine neo4j $(ENGINE_SUITES) $(PYTEST_ARGS)"; \
	  $(BIN)/pytest -m "not slow" --engine neo4j $(ENGINE_SUITES) $(PYTEST_ARGS); \
	else \
	  echo "note: the Neo4j engine is not built, so the graph suites ran on ArcadeDB only"; \
	fi

test-slow: install spark ## Long tests (faults, load, scale, the Spark backend)
	$(BIN)/pytest -m slow $(PYTEST_ARGS)

demo: install neo4j-if-possible ## Start the local graph, generate sample data, ingest it, say what next
	$(BIN)/c360 db start
	@test -f $(SAMPLE_DIR)/manifest.yaml || $(BIN)/c360 generate --customers $(SAMPLE_CUSTOMERS) --out $(SAMPLE_DIR)
	$(BIN)/c360 ingest $(SAMPLE_DIR)/manifest.yaml
	$(BIN)/c360 ingest history --limit 30
	$(BIN)/c360 resolve
	$(BIN)/c360 analyze all
	$(BIN)/c360 evaluate --truth $(SAMPLE_DIR)/ground_truth.csv
	$(BIN)/c360 db status
	@$(MAKE) --no-print-directory api-start
	@echo
	@echo "The GraphQL API is running (dev mode: no API key needed, local use only):"
	@echo "  Explorer    http://127.0.0.1:$(API_PORT)/          (a customer's whole picture, in a browser)"
	@echo "  Quality     http://127.0.0.1:$(API_PORT)/#/quality  (every ingest run per source: rejects, field problems)"
	@echo "  Review      http://127.0.0.1:$(API_PORT)/#/review   (pairs just under the match threshold: accept or reject)"
	@echo "  GraphiQL    http://127.0.0.1:$(API_PORT)/graphql   (open it in a browser)"
	@echo "  Try:        curl -s http://127.0.0.1:$(API_PORT)/graphql -H 'Content-Type: application/json' \\"
	@echo "                -d '{\"query\": \"{ searchIdentities(name: \\\"smith\\\", first: 3) { edges { node { score identity { id profile { fullName { value source } } } } } } }\"}'"
	@echo "  Log:        .c360/api.log; health at /healthz, /readyz, /metrics"
	@$(BIN)/c360 db status 2>/dev/null | sed -n 's/^ *Neo4j Browser: /  Neo4j Browser  /p'; true
	@echo
	@echo "Next:"
	@echo "  .venv/bin/c360 --help                 every command"
	@echo "  .venv/bin/c360 ingest history         every ingest run; --run ID: its rejects and field problems"
	@echo "  .venv/bin/c360 export identities      one row per record with its identity id"
	@echo "  .venv/bin/c360 explain A B            why two records (source:id) are one person, or not"
	@echo "  .venv/bin/c360 review list            pairs just under the match threshold; review accept|reject A B"
	@echo "  .venv/bin/c360 model show             what the matching model learned from these records"
	@echo "  .venv/bin/c360 analyze --help         households, fraud rings, segments"
	@echo "  $(SAMPLE_DIR)/ the sample source files; ground_truth.csv says who is who"
	@echo "  docs/model.md, docs/resolution.md     the graph model and the matching model"
	@echo "  docs/analyses.md, docs/exploring.md   analyses; Neo4j Browser queries and notebooks"
	@echo "  docs/api.md                           the GraphQL API: queries, keys and roles, limits"
	@echo "  make stop                             stop the API and the local graph server"
	@echo "  C360_ENGINE=arcadedb|neo4j            choose the local engine (make stop first; each keeps its data)"

api-start: install ## Serve the GraphQL API in the background in dev mode (make demo does this)
	@mkdir -p .c360
	@if test -f $(API_PID) && kill -0 $$(cat $(API_PID)) 2>/dev/null; then \
	  echo "the API is already running (pid $$(cat $(API_PID)))"; \
	else \
	  nohup $(BIN)/c360 serve --dev --port $(API_PORT) > .c360/api.log 2>&1 & echo $$! > $(API_PID); \
	  for i in $$(seq 100); do \
	    $(BIN)/python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$(API_PORT)/healthz', timeout=1)" 2>/dev/null && exit 0; \
	    kill -0 $$(cat $(API_PID)) 2>/dev/null || { cat .c360/api.log; echo "the API did not start; is port $(API_PORT) taken? try: make demo API_PORT=8010"; exit 1; }; \
	    sleep 0.2; \
	  done; \
	  echo "the API did not answer on port $(API_PORT) within 20s; see .c360/api.log"; exit 1; \
	fi

$(BIN)/.bench-installed: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[local,dev,bench]'
	@touch $@

# The engine `make bench` measures: BENCH_ENGINE=neo4j|arcadedb, else the project's default
BENCH_ENGINE ?= $(shell $(BIN)/python -c 'import sys; sys.path.insert(0, "bench"); from common import default_engine; print(default_engine())')

bench: install $(BIN)/.bench-installed graphql-peer ## Benchmarks (prints figures beside same-run baselines; BENCH_ENGINE=neo4j|arcadedb)
	$(BIN)/python bench/ingest.py --engine $(BENCH_ENGINE)
	$(BIN)/python bench/resolve.py --engine $(BENCH_ENGINE)
	$(BIN)/python bench/api.py --engine $(BENCH_ENGINE) --keep-data bench/out/api-100k-$(BENCH_ENGINE)
	$(BIN)/python bench/analyses.py --engine $(BENCH_ENGINE) --keep-data bench/out/analyses-100k-$(BENCH_ENGINE)
	$(BIN)/python bench/load.py --engine $(BENCH_ENGINE) --keep-data bench/out/load-20000-$(BENCH_ENGINE)

stop: ## Stop the API (if make demo started it) and the local graph server
	@if test -f $(API_PID); then kill $$(cat $(API_PID)) 2>/dev/null && echo "API stopped" || true; rm -f $(API_PID); fi
	@test -x $(BIN)/c360 && $(BIN)/c360 db stop || true

clean: stop ## Remove the venv, local graph data, sample data and npm builds
	rm -rf $(VENV) .c360 $(SAMPLE_DIR) $(LINT_DIR)/node_modules $(GRAPHIQL_DIR)/node_modules \
		$(EXPLORER_DIR)/node_modules $(PEER_DIR)/node_modules $(VENDOR_DIR) $(NEO4J_DIR)/target
