"""The typed HTTP API, mounted at /api/v1/. Each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Solex API",
    version="1",
    description="Communities of practice: communities, exchanges, knowledge and people.",
    urls_namespace="api",
)
