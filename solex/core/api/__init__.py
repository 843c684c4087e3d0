"""The generic half of the HTTP API: errors, pagination, OpenAPI output and the docs page.

Nothing here knows about people, communities or exchanges; the apps' ``api.py``
modules build their routers on these pieces and ``solex/api.py`` mounts them.
"""
