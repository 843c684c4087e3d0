"""``solex demo``: fill an empty database with a realistic, deterministic demo network."""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand

from solex.demo.build import DEFAULT_SEED, build_demo, existing_data
from solex.demo.personas import format_personas
from solex.demo.registry import available_steps


def _count(value: str) -> int:
    try:
        number = int(value.replace("_", "").replace(",", ""))
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise ArgumentTypeError("must be 0 or more")
    return number


class Command(BaseCommand):
    help = (
        "Build a realistic demo network (agencies, partners, offices in every region, topics, "
        "people and the named personas) in an empty database. The same seed always builds "
        "the same network. On a database that already has people or organisations it "
        "changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        # Only the flags of steps that can run here: never a flag that would do nothing.
        for step, _ in available_steps():
            for option in step.options:
                parser.add_argument(
                    option.flag,
                    dest=option.name,
                    type=_count,
                    default=option.default,
                    metavar="N",
                    help=f"{option.help} Default: {option.default:,}.",
                )
        parser.add_argument(
            "--seed",
            default=DEFAULT_SEED,
            help="Seed of the random generator (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people, organizations = existing_data()
        if people or organizations:
            self.stdout.write(
                f"The database already has {people:,} people and {organizations:,} organisations: "
                "solex demo only fills an empty database, so nothing was changed.\n"
                "To rebuild the demo, use an empty database (for example a new SOLEX_DATA_DIR), "
                "then run solex migrate and solex demo."
            )
            return
        scale = {
            option.name: options[option.name]
            for step, _ in available_steps()
            for option in step.options
        }
        # The progress bar ends its own lines (or redraws one in place), and is no error:
        # no added newline, no error colour.
        self.stderr.ending = ""
        self.stderr.style_func = None
        report = build_demo(stderr=self.stderr, scale=scale, seed=options["seed"])
        for name in report.skipped:
            self.stderr.write(f"  {name:<14} skipped: its demo builder is not written yet\n")
        self.stdout.write(
            f"Built the demo network in {report.seconds:.1f} s: {report.people:,} people "
            f"(seed {report.seed!r}).\n\nDemo logins:\n{format_personas()}"
        )
