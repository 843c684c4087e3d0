"""Parameter types shared by every router."""

from __future__ import annotations

from ninja import P, PathEx

# The largest primary key PostgreSQL and SQLite store: a bigger number in a path must
# be a 404-or-422 for the client, never an overflow inside the database driver.
MAX_ID = 2**63 - 1

ObjectId = PathEx[int, P(ge=1, le=MAX_ID, description="The object's id.")]
