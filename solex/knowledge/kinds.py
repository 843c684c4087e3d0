"""Each kind of knowledge item and its structured fields: one table drives forms, pages and API.

A lesson learned keeps its fields in ``LessonLearned`` (the after-action review
writes it); every other kind keeps them in ``KnowledgeItem.details`` under the names
below. A KM approach also has a menu of methods (``details["methods"]``: a list of
``{"name", "when", "contact"}``): when to use each knowledge-sharing method, whom to ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from solex.knowledge.models import KnowledgeItem

if TYPE_CHECKING:
    from solex.knowledge.models import LessonLearned

Kind = KnowledgeItem.Kind


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str | Promise
    required: bool = True
    help_text: str | Promise = ""
    rows: int = 4


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: str | Promise
    # One line on the "contribute" page: what this kind is for.
    purpose: str | Promise
    fields: tuple[FieldSpec, ...]
    has_methods: bool = False


F = FieldSpec

SPECS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            Kind.GOOD_PRACTICE,
            Kind.GOOD_PRACTICE.label,
            _("Something that worked and could work elsewhere, with what it takes to repeat it."),
            (
                F("problem", _("Problem"), help_text=_("The problem the practice addresses.")),
                F("approach", _("Approach"), help_text=_("What was done, step by step.")),
                F(
                    "results",
                    _("Results"),
                    help_text=_("What changed, with figures if you have them."),
                ),
                F(
                    "conditions",
                    _("Conditions for replication"),
                    help_text=_("What must be in place for this to work elsewhere."),
                ),
                F(
                    "contacts",
                    _("Contacts"),
                    required=False,
                    rows=2,
                    help_text=_("Who to ask about it: names, units, email addresses."),
                ),
            ),
        ),
        KindSpec(
            Kind.LESSON_LEARNED,
            Kind.LESSON_LEARNED.label,
            _("What a project or response learned: what worked, and just as much what did not."),
            (
                F("context", _("Context"), help_text=_("What was planned, and what happened.")),
                F("what_worked", _("What worked")),
                F(
                    "what_did_not_work",
                    _("What did not work"),
                    help_text=_(
                        "Failures teach as much as successes. "
                        "If nothing failed, say what came closest."
                    ),
                ),
                F("why", _("Why"), required=False, help_text=_("Why things went as they did.")),
                F(
                    "recommendation",
                    _("Recommendation"),
                    help_text=_("What to do differently next time."),
                ),
                F(
                    "evidence",
                    _("Evidence"),
                    required=False,
                    rows=3,
                    help_text=_("Reports, figures and links that back the lesson."),
                ),
            ),
        ),
        KindSpec(
            Kind.CASE_STUDY,
            Kind.CASE_STUDY.label,
            _("One intervention told in full: the setting, what was done and what came of it."),
            (
                F("background", _("Background"), help_text=_("The setting and who was involved.")),
                F("challenge", _("Challenge")),
                F("intervention", _("What was done")),
                F("outcomes", _("Outcomes")),
                F("lessons", _("Lessons"), required=False),
            ),
        ),
        KindSpec(
            Kind.HOW_TO,
            Kind.HOW_TO.label,
            _("Steps someone else can follow to do a task."),
            (
                F("purpose", _("What this helps you do"), rows=2),
                F("prerequisites", _("Before you start"), required=False, rows=3),
                F("steps", _("Steps"), rows=8, help_text=_("One step a line, in order.")),
                F("tips", _("Tips and pitfalls"), required=False, rows=3),
            ),
        ),
        KindSpec(
            Kind.PRACTICE_NOTE,
            Kind.PRACTICE_NOTE.label,
            _("A short note on how the organisation approaches an issue, for practitioners."),
            (
                F("issue", _("The issue")),
                F("practice", _("Recommended practice")),
                F("implications", _("Implications for programming"), required=False),
                F("references", _("References"), required=False, rows=3),
            ),
        ),
        KindSpec(
            Kind.MEETING_REPORT,
            Kind.MEETING_REPORT.label,
            _("What a meeting, webinar or workshop discussed and decided."),
            (
                F("meeting", _("Meeting"), rows=2, help_text=_("Name, date and place.")),
                F("participants", _("Participants"), required=False, rows=2),
                F("discussion", _("Main points discussed")),
                F("decisions", _("Decisions and agreements"), required=False),
                F("follow_up", _("Follow-up actions"), required=False, rows=3),
            ),
        ),
        KindSpec(
            Kind.PUBLICATION,
            Kind.PUBLICATION.label,
            _("A report, guide or paper published by the organisation or its partners."),
            (
                F("authors", _("Authors"), rows=2),
                F("publisher", _("Publisher"), required=False, rows=1),
                F("published", _("Date of publication"), required=False, rows=1),
                F("link", _("Where to find it"), required=False, rows=1),
            ),
        ),
        KindSpec(
            Kind.KM_APPROACH,
            Kind.KM_APPROACH.label,
            _("A menu of knowledge-sharing methods: when to use each, and whom to ask."),
            (F("overview", _("Overview"), help_text=_("What this menu is for, and for whom.")),),
            has_methods=True,
        ),
        KindSpec(
            Kind.HANDOVER,
            Kind.HANDOVER.label,
            _("Knowledge handed over by someone who rotates or leaves."),
            (
                F("role", _("Role handed over"), rows=1),
                F("critical_knowledge", _("Critical knowledge")),
                F("ongoing_work", _("Ongoing work"), required=False),
                F("key_contacts", _("Key contacts"), required=False),
                F("documents", _("Documents"), required=False),
            ),
        ),
    )
}

#: Kinds members write with the "contribute" form (the others come from their own flows:
#: consolidated replies from the editor, syntheses and summaries from discussions and
#: consultations, handover notes from a handover record).
CONTRIBUTED = (
    Kind.GOOD_PRACTICE,
    Kind.LESSON_LEARNED,
    Kind.CASE_STUDY,
    Kind.HOW_TO,
    Kind.PRACTICE_NOTE,
    Kind.MEETING_REPORT,
    Kind.PUBLICATION,
    Kind.KM_APPROACH,
)

#: The knowledge-sharing methods a new KM approach offers, to fill in or replace.
METHOD_SUGGESTIONS = (
    _("Peer assist"),
    _("Knowledge café"),
    _("After-action review"),
    _("Retrospect"),
    _("Storytelling"),
    _("Communities of practice"),
)
MAX_METHODS = 8

LESSON_FIELDS = ("context", "what_worked", "what_did_not_work", "why", "recommendation", "evidence")


def spec_for(kind: str) -> KindSpec | None:
    return SPECS.get(kind)


def structured_values(item: KnowledgeItem) -> dict[str, Any]:
    """The item's structured fields by name (a lesson's from its ``LessonLearned``)."""
    if item.kind == Kind.LESSON_LEARNED:
        lesson: LessonLearned | None = getattr(item, "lesson", None)
        if lesson is None:
            return {}
        return {name: getattr(lesson, name) for name in LESSON_FIELDS}
    return dict(item.details or {})


def rows(item: KnowledgeItem) -> list[tuple[FieldSpec, str]]:
    """(field, value) for each structured field with a value, in the kind's order."""
    spec = spec_for(item.kind)
    if spec is None:
        return []
    values = structured_values(item)
    return [
        (field, str(values.get(field.name, ""))) for field in spec.fields if values.get(field.name)
    ]


def clean_methods(methods: Any) -> list[dict[str, str]]:
    """A KM approach's methods: rows without a name are dropped; at most ``MAX_METHODS``."""
    cleaned: list[dict[str, str]] = []
    for method in methods or []:
        if not isinstance(method, dict):
            continue
        name = str(method.get("name", "")).strip()[:120]
        if not name:
            continue
        cleaned.append(
            {
                "name": name,
                "when": str(method.get("when", "")).strip()[:2000],
                "contact": str(method.get("contact", "")).strip()[:500],
            }
        )
    return cleaned[:MAX_METHODS]
