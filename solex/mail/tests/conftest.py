from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from solex.mail.testing import SmtpSink, running_sink


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[SmtpSink]:
    """A real SMTP server on a free port; outbound mail goes there for this test."""
    for sink in running_sink():
        settings.MAILERS = sink.mailers()
        yield sink
