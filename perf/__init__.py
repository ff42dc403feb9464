"""Measuring tools, not the product.

The synthetic corpus (`corpus.py`, `manage.py generate_corpus`), the in-process benchmark
(`benchmark.py`, `manage.py benchmark`) and the gunicorn + locust load test (`loadtest/`).
The wheel does not ship this app, and settings install it only when DOSSIER_PERF=1 (CI and
benchmark runs set it): nothing in `dossier/` or `annotations/` may import it.
"""
