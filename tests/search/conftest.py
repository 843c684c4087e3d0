from __future__ import annotations

from collections.abc import Callable

import pytest

from solex.search import actions


@pytest.fixture
def reindex() -> Callable[[], int]:
    """Rebuild the whole index, as `solex search reindex` does."""
    return lambda: actions.rebuild()
