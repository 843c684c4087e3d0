"""The `solex` command: Django's management commands under the project's own name.

`solex run`, `solex worker`, `solex demo`, `solex migrate`, `solex check`, ... are all
management commands; this wrapper only picks the settings and turns configuration
mistakes into one clear line instead of a traceback.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solex.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["solex", *(sys.argv[1:] if argv is None else argv)])
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"solex: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
