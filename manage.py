#!/usr/bin/env python
"""Same as the `solex` command, for people used to Django's manage.py."""

from solex.cli import main

if __name__ == "__main__":
    main()
