"""Forms for the knowledge pages: shapes only; the rules live in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from solex.accounts.models import User
from solex.communities.models import Community
from solex.knowledge import kinds
from solex.knowledge.actions import HandoverInput, ItemInput, parse_list
from solex.knowledge.models import Audience, KnowledgeItem
from solex.taxonomy.models import Topic


def _text(
    label: Any, *, required: bool = True, rows: int = 4, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=20000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AfterActionReviewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = _text(_("Summary"), rows=2, help_text=_("One or two sentences: the lesson in short."))
    context = _text(_("Context"), help_text=_("What was planned, and what happened."))
    what_worked = _text(_("What worked"))
    what_did_not_work = _text(
        _("What did not work"),
        help_text=_(
            "Failures teach as much as successes. If nothing failed, say what came closest."
        ),
    )
    why = _text(_("Why"), required=False, help_text=_("Why things went as they did."))
    recommendation = _text(_("Recommendation"), help_text=_("What to do differently next time."))
    evidence = _text(
        _("Evidence"),
        required=False,
        rows=3,
        help_text=_("Reports, figures and links that back the lesson."),
    )
    body = _text(
        _("The full account"),
        required=False,
        rows=8,
        help_text=_("Optional. Markdown: **bold**, lists, links, tables."),
    )
    contributors = forms.ModelMultipleChoiceField(
        label=_("Contributors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members who took part in the review; you are credited too."),
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contributors = self.fields["contributors"]
        assert isinstance(contributors, forms.ModelMultipleChoiceField)
        contributors.queryset = members


# --- Items of every kind ---------------------------------------------------------------


def _method_field(index: int, part: str) -> str:
    return f"method_{index}_{part}"


class ItemForm(forms.Form):
    """The common fields plus the kind's own (``solex.knowledge.kinds``), built per kind."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = _text(
        _("Summary"), rows=2, help_text=_("One or two sentences: what a reader takes away.")
    )

    def __init__(
        self, *args: Any, kind: str, community: Community, members: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        spec = kinds.spec_for(kind)
        self.kind = kind
        self.spec = spec
        if spec is not None:
            for field in spec.fields:
                self.fields[field.name] = _text(
                    field.label,
                    required=field.required,
                    rows=field.rows,
                    help_text=field.help_text,
                )
            if spec.has_methods:
                for index in range(1, kinds.MAX_METHODS + 1):
                    self.fields[_method_field(index, "name")] = forms.CharField(
                        label=_("Method %(n)s: name") % {"n": index},
                        required=False,
                        max_length=120,
                    )
                    self.fields[_method_field(index, "when")] = _text(
                        _("Method %(n)s: when to use it") % {"n": index}, required=False, rows=2
                    )
                    self.fields[_method_field(index, "contact")] = forms.CharField(
                        label=_("Method %(n)s: whom to ask") % {"n": index},
                        required=False,
                        max_length=500,
                    )
        self.fields["body"] = _text(
            _("The full account"),
            required=False,
            rows=8,
            help_text=_("Optional. Markdown: **bold**, lists, links, tables."),
        )
        self.fields["topics"] = forms.ModelMultipleChoiceField(
            label=_("Topics"),
            queryset=Topic.objects.order_by("name"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 6}),
        )
        self.fields["countries"] = forms.CharField(
            label=_("Countries"),
            required=False,
            max_length=300,
            help_text=_("Two-letter ISO codes separated by commas, e.g. KE, TZ."),
        )
        self.fields["regions"] = forms.CharField(
            label=_("Regions"),
            required=False,
            max_length=300,
            help_text=_("Separated by commas, e.g. East Africa, Sahel."),
        )
        self.fields["language"] = forms.ChoiceField(
            label=_("Language"),
            required=False,
            choices=[("", _("Not said")), *settings.LANGUAGES],
        )
        audiences = [
            (value, label)
            for value, label in Audience.choices
            if value != Audience.PUBLIC or community.visibility == "public"
        ]
        self.fields["audience"] = forms.ChoiceField(
            label=_("Audience"),
            choices=audiences,
            initial=Audience.COMMUNITY,
            widget=forms.RadioSelect,
        )
        self.fields["review_due"] = forms.DateField(
            label=_("Review date"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            help_text=_(
                "When a knowledge manager should check it is still right; a year by default."
            ),
        )
        if members is not None:
            self.fields["contributors"] = forms.ModelMultipleChoiceField(
                label=_("Contributors"),
                queryset=members,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 5}),
                help_text=_("Members who helped; you are credited too."),
            )
        self.fields["attachment"] = forms.FileField(
            label=_("Attachment"),
            required=False,
            help_text=_("Optional. PDF, Word or text: its text becomes searchable."),
        )

    def methods(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {
                "name": data.get(_method_field(index, "name"), "") or "",
                "when": data.get(_method_field(index, "when"), "") or "",
                "contact": data.get(_method_field(index, "contact"), "") or "",
            }
            for index in range(1, kinds.MAX_METHODS + 1)
        ]

    def to_input(self) -> ItemInput:
        data = self.cleaned_data
        structured = {}
        if self.spec is not None:
            structured = {field.name: data.get(field.name, "") for field in self.spec.fields}
        return ItemInput(
            title=data["title"],
            summary=data["summary"],
            body=data.get("body", ""),
            structured=structured,
            methods=self.methods() if self.spec is not None and self.spec.has_methods else [],
            topics=list(data.get("topics") or []),
            countries=parse_list(data.get("countries", "")),
            regions=parse_list(data.get("regions", "")),
            language=data.get("language", ""),
            audience=data.get("audience") or Audience.COMMUNITY,
            review_due=data.get("review_due"),
            contributors=list(data.get("contributors") or []),
        )

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                target = _method_field(1, "name") if name == "methods" else name
                self.add_error(target if target in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


def item_initial(item: KnowledgeItem) -> dict[str, Any]:
    """The edit form's starting values: the item as it is now."""
    initial: dict[str, Any] = {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "topics": list(item.topics.all()),
        "countries": ", ".join(item.countries),
        "regions": ", ".join(item.regions),
        "language": item.language,
        "audience": item.audience,
        "review_due": item.review_due,
    }
    values = kinds.structured_values(item)
    for name, value in values.items():
        if name != "methods":
            initial[name] = value
    for index, method in enumerate(values.get("methods") or [], start=1):
        for part in ("name", "when", "contact"):
            initial[_method_field(index, part)] = method.get(part, "")
    return initial


def method_suggestions() -> dict[str, Any]:
    """A new KM approach starts with the usual methods named, to describe or replace."""
    return {
        _method_field(index, "name"): str(name)
        for index, name in enumerate(kinds.METHOD_SUGGESTIONS, start=1)
    }


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("confirm", _("Confirm")), ("archive", _("Archive"))], widget=forms.HiddenInput
    )
    next_review = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class UsefulForm(forms.Form):
    useful = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])


class HandoverForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    role = forms.CharField(label=_("Role handed over"), max_length=200)
    successor = forms.ModelChoiceField(
        label=_("Successor"),
        queryset=User.objects.none(),
        help_text=_("The member who takes over: you review the handover together."),
    )
    critical_knowledge = _text(
        _("Critical knowledge"),
        rows=6,
        help_text=_(
            "What your successor must know first: decisions, risks, the reasons behind them."
        ),
    )
    ongoing_work = _text(
        _("Ongoing work"), required=False, help_text=_("What is under way, and its status.")
    )
    key_contacts = _text(
        _("Key contacts"), required=False, help_text=_("Who to call for what, inside and outside.")
    )
    documents = _text(
        _("Documents"), required=False, rows=3, help_text=_("Where the important files are.")
    )
    audience = forms.ChoiceField(
        label=_("Audience once published"),
        choices=Audience.choices,
        initial=Audience.COMMUNITY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, members: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        successor = self.fields["successor"]
        assert isinstance(successor, forms.ModelChoiceField)
        successor.queryset = members
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ChoiceField)
        audience.choices = [
            (value, label)
            for value, label in Audience.choices
            if value != Audience.PUBLIC or community.visibility == "public"
        ]

    def to_input(self) -> HandoverInput:
        data = self.cleaned_data
        return HandoverInput(
            title=data["title"],
            role=data["role"],
            critical_knowledge=data["critical_knowledge"],
            ongoing_work=data.get("ongoing_work", ""),
            key_contacts=data.get("key_contacts", ""),
            documents=data.get("documents", ""),
            audience=data["audience"],
        )


class PortalSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the public library"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *KnowledgeItem.Kind.choices]
    )


class LibraryFilterForm(PortalSearchForm):
    q = forms.CharField(label=_("Title or summary contains"), required=False, max_length=200)
    community = forms.CharField(required=False, widget=forms.HiddenInput)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    country = forms.CharField(label=_("Country code"), required=False, max_length=2)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *settings.LANGUAGES]
    )
    audience = forms.ChoiceField(
        label=_("Audience"), required=False, choices=[("", _("Any")), *Audience.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = [
            ("", _("Any")),
            *Topic.objects.order_by("name").values_list("slug", "name"),
        ]
