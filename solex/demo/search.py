"""Demo step "search index": index everything the other steps made, with a progress bar.

It runs last, so every exchange, reply, knowledge item, person and community is
findable as soon as ``solex demo`` ends, as ``solex search reindex`` would leave it.
"""

from __future__ import annotations

from solex.demo.context import DemoContext
from solex.demo.progress import Progress
from solex.search import actions
from solex.search.sources import sources


def build_search_index(ctx: DemoContext) -> None:
    current: list[tuple[str, Progress]] = []

    def advance(kind: str, count: int) -> None:
        if not current or current[-1][0] != kind:
            if current:
                current[-1][1].finish()
            current.append((kind, ctx.progress(f"index {kind}", sources()[kind].count())))
        current[-1][1].advance(count)

    actions.rebuild(advance)
    if current:
        current[-1][1].finish()
