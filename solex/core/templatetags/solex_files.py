"""Template filters for listing uploaded files: ``{% load solex_files %}``.

``{{ stored.size|file_size }}`` gives "2.4 MB"; ``{{ stored.content_type|file_type }}``
gives "PDF", "Word document", ...
"""

from __future__ import annotations

from django import template

from solex.core import files

register = template.Library()


@register.filter
def file_size(size: int) -> str:
    return files.human_size(int(size or 0))


@register.filter
def file_type(mime: str) -> str:
    return files.type_label(mime)
