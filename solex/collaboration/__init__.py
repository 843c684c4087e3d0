"""Collaboration: action groups and task teams spawned from an exchange."""
