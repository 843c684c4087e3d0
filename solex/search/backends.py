"""The two full-text backends behind one interface, chosen by the database vendor.

Both index the normalised token strings of ``text.py`` (title and text separately, the
title weighted higher) and answer the same ``ParsedQuery``:

- **SQLite**: an FTS5 table ``search_fts(title, body)`` whose rowid is the document
  id, tokenised by ``porter unicode61 remove_diacritics 2``; ranked by ``bm25``.
- **PostgreSQL**: a ``search_vector`` tsvector column on ``search_document`` (title
  weight A, text weight B, the ``simple`` configuration since the text is already
  normalised) with a GIN index; matched with ``to_tsquery`` built from quoted tokens
  and ranked by ``ts_rank_cd``.

The permission filter arrives as compiled SQL of a ``Document`` queryset's WHERE
clause, so it runs inside the same statement as the match, before counting or paging.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from solex.search.query import ParsedQuery, Term

TABLE = '"search_document"'
# The SQL below is assembled from constants, placeholders and the WHERE clause Django
# compiled from a queryset; every value travels as a parameter (hence the S608 noqa).


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- Writing ------------------------------------------------------------------------


def write(rows: Sequence[tuple[int, str, str]]) -> None:
    """(document id, normalised title, normalised text) for newly created documents."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.executemany(
                "UPDATE search_document SET search_vector = "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') WHERE id = %s",
                [(title, body, pk) for pk, title, body in rows],
            )
        else:
            cursor.executemany(
                "INSERT INTO search_fts(rowid, title, body) VALUES (%s, %s, %s)", list(rows)
            )


def delete(ids: Sequence[int]) -> None:
    """Forget the full-text rows of documents about to be deleted (SQLite keeps its own)."""
    if not ids or is_postgres():
        return
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608


def clear() -> None:
    if is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts")


def optimise() -> None:
    """Merge the index after a rebuild (SQLite: FTS5 'optimize'; PostgreSQL: ANALYZE)."""
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(f"ANALYZE {TABLE}")
        else:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


# --- Matching -----------------------------------------------------------------------


def _fts_term(term: Term) -> str:
    return '"' + " ".join(term) + '"'


def _fts_match(parsed: ParsedQuery) -> str:
    groups = [" AND ".join(_fts_term(t) for t in group) for group in parsed.groups]
    positive = " OR ".join(f"({g})" for g in groups)
    if parsed.excluded:
        return f"({positive}) NOT ({' OR '.join(_fts_term(t) for t in parsed.excluded)})"
    return positive


def _pg_term(term: Term) -> str:
    return "(" + " <-> ".join(f"'{token}'" for token in term) + ")"


def _pg_query(parsed: ParsedQuery) -> str:
    groups = [" & ".join(_pg_term(t) for t in group) for group in parsed.groups]
    positive = " | ".join(f"({g})" for g in groups)
    if parsed.excluded:
        return f"({positive}) & !({' | '.join(_pg_term(t) for t in parsed.excluded)})"
    return positive


def _from_where(parsed: ParsedQuery, where: str, params: Sequence[Any]) -> tuple[str, list[Any]]:
    if is_postgres():
        sql = (
            f"FROM {TABLE}, to_tsquery('simple', %s) AS query "
            f"WHERE {TABLE}.search_vector @@ query AND ({where})"
        )
        return sql, [_pg_query(parsed), *params]
    sql = (
        f"FROM search_fts JOIN {TABLE} ON {TABLE}.id = search_fts.rowid "
        f"WHERE search_fts MATCH %s AND ({where})"
    )
    return sql, [_fts_match(parsed), *params]


def ranked_ids(
    parsed: ParsedQuery, where: str, params: Sequence[Any], *, limit: int, offset: int
) -> list[tuple[int, float]]:
    """(document id, score) best first: text relevance times the document's quality."""
    from_where, all_params = _from_where(parsed, where, params)
    if is_postgres():
        score = f"ts_rank_cd({TABLE}.search_vector, query) * {TABLE}.quality"
        sql = (
            f"SELECT {TABLE}.id, {score} AS score {from_where} ORDER BY score DESC, {TABLE}.id DESC"
        )
    else:
        # bm25 is negative, lower is better; title matches weigh four times as much.
        score = f"-bm25(search_fts, 4.0, 1.0) * {TABLE}.quality"
        sql = (
            f"SELECT {TABLE}.id, {score} AS score {from_where} ORDER BY score DESC, {TABLE}.id DESC"
        )
    sql += " LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*all_params, limit, offset])
        return [(int(pk), float(value)) for pk, value in cursor.fetchall()]


def count(parsed: ParsedQuery, where: str, params: Sequence[Any], *, cap: int) -> int:
    """How many visible documents match, counting at most ``cap`` + 1."""
    from_where, all_params = _from_where(parsed, where, params)
    sql = f"SELECT COUNT(*) FROM (SELECT 1 {from_where} LIMIT %s) AS capped"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*all_params, cap + 1])
        row = cursor.fetchone()
    return int(row[0]) if row else 0
