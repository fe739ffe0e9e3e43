# The c360graph service image. Talks to Neo4j (NEO4J_URI); the local ArcadeDB extra is left out.

# GraphiQL's and React's builds, served at /static/vendor so /graphql needs no CDN
FROM node:20-slim AS graphiql
WORKDIR /build
COPY tools/graphiql/package.json tools/graphiql/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# Cytoscape.js for the explorer at /
FROM node:20-slim AS explorer
WORKDIR /build
COPY tools/explorer/package.json tools/explorer/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY c360graph ./c360graph
COPY cypher ./cypher
COPY --from=graphiql /build/node_modules/react/umd/react.production.min.js \
    /build/node_modules/react-dom/umd/react-dom.production.min.js \
    /build/node_modules/graphiql/graphiql.min.js \
    /build/node_modules/graphiql/graphiql.min.css \
    ./c360graph/api/static/vendor/
COPY --from=explorer /build/node_modules/cytoscape/dist/cytoscape.esm.min.mjs \
    ./c360graph/api/static/vendor/
RUN pip install --no-cache-dir . && useradd --create-home c360
USER c360
ENTRYPOINT []
CMD ["c360", "--help"]
