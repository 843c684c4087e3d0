"""The typed HTTP API, mounted at /api/v1/. Each app adds its router here.

Operations need a signed-in caller unless they say ``auth=auth_optional``; see
``solex.accounts.api_auth``. Errors, pages and the docs page come from
``solex.core.api``.
"""

from solex.accounts.api import router as accounts_router
from solex.accounts.api_auth import auth_required
from solex.collaboration.api import router as collaboration_router
from solex.communities.api import requests_router as community_requests_router
from solex.communities.api import router as communities_router
from solex.consultations.api import router as consultations_router
from solex.core.api.base import SolexAPI
from solex.digests.api import router as digests_router
from solex.discussions.api import router as discussions_router
from solex.exchanges.api import router as exchanges_router
from solex.intake.api import router as intake_router
from solex.knowledge.api import router as knowledge_router
from solex.notifications.api import router as notifications_router
from solex.people.api import router as people_router
from solex.people.expertise_api import router as expertise_router
from solex.search.api import router as search_router

api = SolexAPI(
    title="Solex API",
    version="1",
    description="Communities of practice: communities, exchanges, knowledge and people.",
    urls_namespace="api",
    auth=auth_required,
)
api.add_router("", accounts_router)
api.add_router("/communities", communities_router)
api.add_router("/community-requests", community_requests_router)
api.add_router("/people", people_router)
api.add_router("/expertise", expertise_router)
api.add_router("/exchanges", exchanges_router)
api.add_router("/knowledge", knowledge_router)
api.add_router("/notifications", notifications_router)
api.add_router("/consultations", consultations_router)
api.add_router("/discussions", discussions_router)
api.add_router("/action-groups", collaboration_router)
api.add_router("/search", search_router)
api.add_router("/mail", digests_router)
api.add_router("/quarantine", intake_router)
