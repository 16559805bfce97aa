"""Tests for the self-check pages (webapp/blueprints/selfcheck)."""
