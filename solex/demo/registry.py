"""The steps of a demo build, in order, and the scale flags they bring.

Each step names its builder by dotted path. Steps marked ``optional`` belong to apps
that are still being written: while their module does not exist the step is
skipped, and so are its flags (``solex demo`` never offers a flag it cannot honour).

To add a step (say the events app's), write ``solex/demo/events.py`` with
``build_events(ctx: DemoContext) -> None`` and add it after the steps it builds on::

    Step("events", "solex.demo.events.build_events",
         options=(ScaleOption("events", 300, "Events to create."),)),

The builder then reads ``ctx.scale["events"]``; ``solex demo --events N`` sets it, as
``--posts N`` sets the exchanges step's ``ctx.scale["posts"]``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from solex.demo.context import DemoContext

Builder = Callable[["DemoContext"], None]


@dataclass(frozen=True)
class ScaleOption:
    """A ``--name N`` flag of ``solex demo``, read by the builder as ``ctx.scale[name]``."""

    name: str
    default: int
    help: str

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Step:
    name: str
    builder: str  # "package.module.function"
    options: tuple[ScaleOption, ...] = ()
    optional: bool = False  # skipped while its module does not exist yet


STEPS: tuple[Step, ...] = (
    Step("organisations", "solex.demo.builders.build_organizations"),
    Step("topics", "solex.demo.builders.build_topics"),
    Step(
        "people",
        "solex.demo.builders.build_people",
        options=(ScaleOption("members", 200, "Members to generate besides the named personas."),),
    ),
    # Written by the communities and people apps' authors; optional until they land.
    Step("communities", "solex.demo.communities.build_communities", optional=True),
    Step("profiles", "solex.demo.people.build_profiles", optional=True),
    Step(
        "exchanges",
        "solex.demo.exchanges.build_exchanges",
        options=(ScaleOption("posts", 2000, "Posts (exchanges and their replies) to create."),),
    ),
    Step("consolidated replies", "solex.demo.knowledge.build_consolidated_replies"),
    # Optional until each lands; every module is its own file so work can go on in parallel.
    Step("attachments", "solex.demo.attachments.build_attachments", optional=True),
    Step("consultations", "solex.demo.consultations.build_consultations", optional=True),
    Step("discussions", "solex.demo.discussions.build_discussions", optional=True),
    Step("action groups", "solex.demo.collaboration.build_action_groups", optional=True),
    Step("knowledge library", "solex.demo.library.build_library", optional=True),
    Step("expertise", "solex.demo.expertise.build_expertise", optional=True),
    Step("mail", "solex.demo.mail.build_mail", optional=True),
    Step("digests", "solex.demo.digests.build_digests", optional=True),
    Step("search index", "solex.demo.search.build_search_index", optional=True),
)


def load_builder(step: Step) -> Builder | None:
    """The step's function; None for an optional step whose module does not exist yet.

    Only a missing module is forgiven: an error inside an existing module, or a module
    without the named function, is a bug and is raised.
    """
    module_path, _, function_name = step.builder.rpartition(".")
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as exc:
        if step.optional and exc.name == module_path:
            return None
        raise
    builder: Builder | None = getattr(module, function_name, None)
    if builder is None:
        raise ImproperlyConfigured(
            f"Demo step {step.name!r}: {module_path} has no {function_name}()."
        )
    return builder


def available_steps(steps: Sequence[Step] = STEPS) -> list[tuple[Step, Builder]]:
    """The steps that can run here, with their builders, in order."""
    loaded = [(step, load_builder(step)) for step in steps]
    return [(step, builder) for step, builder in loaded if builder is not None]


def skipped_steps(steps: Sequence[Step] = STEPS) -> list[Step]:
    return [step for step in steps if load_builder(step) is None]
