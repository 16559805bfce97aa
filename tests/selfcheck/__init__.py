"""Tests for the self-check's plain-Python rules (webapp/selfcheck)."""
