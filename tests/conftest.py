"""Shared test setup: see ../conftest.py (it applies to the lessons too)."""
