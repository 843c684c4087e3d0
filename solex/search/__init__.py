"""Search: one interface over SQLite FTS5 and PostgreSQL full-text, kept current by tasks."""
