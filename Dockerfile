# The c360graph service image. Talks to Neo4j (NEO4J_URI); the local ArcadeDB extra is left out.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY c360graph ./c360graph
COPY cypher ./cypher
RUN pip install --no-cache-dir . && useradd --create-home c360
USER c360
ENTRYPOINT []
CMD ["c360", "--help"]
