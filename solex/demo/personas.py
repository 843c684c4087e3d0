"""The named demo personas: one per kind of person in the product brief, one password.

``solex demo`` prints them at the end and ``solex run`` prints them when it starts,
so whoever tries Solex knows how to log in as each kind of person.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The password of every demo account, personas and generated members alike.
DEMO_PASSWORD = "solex-demo"  # noqa: S105 (documented demo credential, never a real one)


@dataclass(frozen=True)
class Persona:
    username: str
    name: str
    role: str  # what the persona is there to show, in the brief's words
    organization: str  # acronym of an organisation in the catalogue
    title: str
    country: str
    office: str
    languages: tuple[str, ...]
    is_superuser: bool = False


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "admin",
        "Ingrid Larsen",
        "site administrator",
        "UNDP",
        "Knowledge Management Team Lead",
        "US",
        "UNDP Headquarters, New York",
        ("en", "fr"),
        is_superuser=True,
    ),
    Persona(
        "facilitator",
        "Amina Diallo",
        "community facilitator",
        "UNDP",
        "Knowledge Management Specialist",
        "SN",
        "UNDP Country Office, Dakar",
        ("fr", "en"),
    ),
    Persona(
        "coordinator",
        "Carlos Mendoza",
        "community coordinator",
        "UNICEF",
        "Regional Knowledge Management Coordinator",
        "PA",
        "UNICEF Regional Office, Panama City",
        ("es", "en"),
    ),
    Persona(
        "expert",
        "Priya Raman",
        "expert",
        "WHO",
        "Technical Officer, Health Emergencies",
        "CH",
        "WHO Headquarters, Geneva",
        ("en", "hi", "fr"),
    ),
    Persona(
        "member",
        "Joseph Otieno",
        "member",
        "UNHCR",
        "Associate Protection Officer",
        "KE",
        "UNHCR Country Office, Nairobi",
        ("en", "sw"),
    ),
    Persona(
        "partner",
        "Grace Wanjiru",
        "external partner",
        "MoLG",
        "Director of Urban Planning",
        "KE",
        "Ministry of Local Government, Nairobi",
        ("en", "sw"),
    ),
)


def organization_label(acronym: str) -> str:
    """How the persona table names an organisation: agencies by acronym, partners in full."""
    from solex.demo.catalogue import PARTNERS

    return next((p.name for p in PARTNERS if p.acronym == acronym), acronym)


def format_personas() -> str:
    """The personas as a small table (username, role, organisation), then the password."""
    rows = [("username", "role", "organisation")]
    rows += [(p.username, p.role, organization_label(p.organization)) for p in PERSONAS]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"  {row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}" for row in rows]
    lines.insert(1, f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * len(rows[0][2])}")
    lines.append(f"  Password for every demo account: {DEMO_PASSWORD}")
    return "\n".join(lines)
