"""Demo step "expertise": read every evidence source into the expertise ledger.

Runs last among the content steps, so the ledger holds the demo's declarations,
endorsements, replies, helpful marks, consolidated replies and knowledge items, and
"who knows about…?" and query routing rank people from the first page view. The
replies come from each community's experts and practitioners, mostly on their own
practice, and the helpful marks favour the experts the facilitators asked, so the
ranking has real signal to find.
"""

from __future__ import annotations

from solex.demo.context import DemoContext
from solex.demo.progress import Progress
from solex.expertise import ledger


def build_expertise(ctx: DemoContext) -> None:
    bars: dict[str, Progress] = {}

    def progress(source: str, done: int, total: int, finished: bool) -> None:
        label = source.rsplit(".", 1)[-1].replace("_", " ")[:14]
        bar = bars.get(source)
        if bar is None:
            bar = bars[source] = ctx.progress(label, total)
        bar.total = max(bar.total, total)
        bar.advance(done - bar.done)
        if finished:
            bar.finish()

    report = ledger.rebuild(progress=progress)
    ctx.stderr.write(
        f"  expertise      {report.rows:,} evidence rows, {report.summaries:,} summaries\n"
    )
