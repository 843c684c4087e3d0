"""Digests: email delivery of notifications by each member's preference, and the weekly top 5."""
