"""Analyses over resolved identities: households, fraud rings, segments, value and churn.

Each analysis is a pure function over plain data (`households.py`, `fraud.py`,
`segments.py`); `facts.py` reads that data from the graph and `store.py` writes results
back, with Cypher in `cypher/analyses/`. Thresholds and weights live in `analyses.yaml`.
"""
