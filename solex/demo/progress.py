"""A small progress bar on stderr, with no dependency.

On a terminal it redraws one line in place (at most ten times a second); anywhere
else (a log file, a test) it writes one line per finished step, so logs stay short.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

_WIDTH = 28
_REDRAW_SECONDS = 0.1


class TextStream(Protocol):
    """Where progress goes: a file, sys.stderr, or a management command's stderr."""

    def write(self, text: str, /) -> Any: ...
    def flush(self) -> None: ...
    def isatty(self) -> bool: ...


class Progress:
    def __init__(self, stream: TextStream, label: str, total: int) -> None:
        self.stream = stream
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self._interactive = stream.isatty()
        self._draw()

    def advance(self, count: int = 1) -> None:
        self.done = min(self.done + count, self.total) if self.total else self.done + count
        now = time.monotonic()
        if self._interactive and now - self._drawn_at >= _REDRAW_SECONDS:
            self._draw()

    def finish(self) -> float:
        """Draw the final state and return the seconds the step took."""
        elapsed = time.monotonic() - self.started
        if self.total:
            self.done = self.total
        line = self._line(elapsed)
        self.stream.write(("\r" + line + "\n") if self._interactive else line + "\n")
        self.stream.flush()
        return elapsed

    def _draw(self) -> None:
        if not self._interactive:
            return
        self._drawn_at = time.monotonic()
        self.stream.write("\r" + self._line(self._drawn_at - self.started))
        self.stream.flush()

    def _line(self, elapsed: float) -> str:
        if self.total:
            filled = _WIDTH * self.done // self.total
            bar = "#" * filled + "." * (_WIDTH - filled)
            count = f"{self.done:,}/{self.total:,}"
        else:
            bar, count = "#" * _WIDTH, f"{self.done:,}"
        return f"  {self.label:<14} [{bar}] {count:>17}  {elapsed:5.1f} s"
