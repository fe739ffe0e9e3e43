"""The load benchmark behind bench/load.py, one stage per module: the data (dataset), its
build (build), GraphQL requests (operations, client), readers and the writer, the phases that
run them (phases), then the checks (integrity) and the figures (report)."""
