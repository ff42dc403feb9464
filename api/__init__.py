"""Dossier's scriptable API (django-ninja): tokens, the /api/v1/ resources, their schema and docs."""
