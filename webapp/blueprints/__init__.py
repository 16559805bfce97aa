"""Blueprints: the thin web boundary, one package an area."""
