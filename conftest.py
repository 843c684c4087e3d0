"""Fixtures shared by every test: see tests/ for the browser ones."""
