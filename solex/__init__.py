"""Solex: a platform for communities of practice."""
