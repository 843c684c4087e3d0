"""The demo logins as ``solex run`` prints them when it starts (see ``DEMO_LOGINS`` there)."""

from __future__ import annotations

from solex.demo.personas import DEMO_PASSWORD, PERSONAS, organization_label


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, who) for each persona, in the order of the product brief."""
    return [
        (
            persona.username,
            DEMO_PASSWORD,
            f"{persona.role}, {organization_label(persona.organization)}",
        )
        for persona in PERSONAS
    ]
