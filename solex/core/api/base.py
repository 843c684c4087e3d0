"""``SolexAPI``: ninja's ``NinjaAPI`` with our error shape everywhere and no CDN docs page."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.errors import ValidationError, ValidationErrorContext
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation
from ninja.schema import NinjaGenerateJsonSchema
from ninja.types import DictStrAny

from solex.core.api.auth import AnonymousAuth
from solex.core.api.docs import ServerRenderedDocs
from solex.core.api.errors import (
    Error,
    install_error_handlers,
    json_method_not_allowed,
    refuse_nul_in_values,
    unknown_path,
)

ERROR_DESCRIPTIONS = {
    400: "The body is not valid JSON.",
    401: "Authentication is required, or the token sent is not valid.",
    403: "The caller may not do this (or a browser request lacks its CSRF token).",
    404: "Nothing matches the identifier in the path.",
    422: "A parameter or a body field is not valid; errors[].loc says which.",
    429: "Too many requests; wait for the number of seconds in Retry-After.",
}


class SolexOpenAPISchema(OpenAPISchema):
    """Documents the errors each operation can answer, and optional authentication."""

    def responses(self, operation: Operation) -> dict[int, DictStrAny]:
        result = super().responses(operation)
        error_ref = {"$ref": REF_TEMPLATE.format(model="Error")}
        if "Error" not in self.schemas:
            schema = Error.model_json_schema(
                ref_template=REF_TEMPLATE,
                schema_generator=NinjaGenerateJsonSchema,
                mode="serialization",
            )
            self.add_schema_definitions(schema.pop("$defs", {}))
            self.schemas["Error"] = schema
        sources = {model.__ninja_param_source__ for model in operation.models}
        statuses: set[int] = set()
        if operation.auth_callbacks:
            statuses |= {401, 403}
        if "path" in sources:
            statuses.add(404)
        if "body" in sources:
            statuses.add(400)
        if sources:
            statuses.add(422)
        if operation.throttle_objects:
            statuses.add(429)
        for status in sorted(statuses - set(result)):
            result[status] = {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {"application/json": {"schema": error_ref}},
            }
        return result

    def operation_security(self, operation: Operation) -> list[DictStrAny] | None:
        security = super().operation_security(operation)
        if security is not None and any(
            isinstance(auth, AnonymousAuth) for auth in operation.auth_callbacks
        ):
            # OpenAPI's way of saying "or no credentials at all".
            security.append({})
        return security


# Free text may hold anything but NUL, which PostgreSQL cannot store: the schema says so,
# and errors.refuse_nul_characters enforces it with a 422.
NO_NUL_PATTERN = "^[^\\x00]*$"


# "Not blank" (pydantic's pattern ``\\S``) without NUL anywhere.
NOT_BLANK_NO_NUL_PATTERN = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"


def forbid_nul_in_strings(node: Any) -> None:
    """Say in an OpenAPI document that no free-text string may contain NUL.

    Anchored patterns (``^[A-Za-z]{2}$``…) already exclude it; ``\\S`` ("not blank")
    becomes its NUL-free equivalent.
    """
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"format", "enum", "const"} & set(node):
            pattern = node.get("pattern")
            if pattern is None:
                node["pattern"] = NO_NUL_PATTERN
            elif pattern == "\\S":
                node["pattern"] = NOT_BLANK_NO_NUL_PATTERN
        for value in node.values():
            forbid_nul_in_strings(value)
    elif isinstance(node, list):
        for item in node:
            forbid_nul_in_strings(item)


class SolexAPI(NinjaAPI):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("docs", ServerRenderedDocs())
        super().__init__(**kwargs)
        self._openapi_schemas: dict[str, OpenAPISchema] = {}

    def set_default_exception_handlers(self) -> None:
        super().set_default_exception_handlers()
        install_error_handlers(self)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: DictStrAny | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        # Routers are all added at import time, so the schema never changes while the
        # process runs; building it costs ~50 ms, which the docs page and every
        # openapi.json request would otherwise pay.
        if path_prefix not in self._openapi_schemas:
            schema = SolexOpenAPISchema(self, path_prefix)
            forbid_nul_in_strings(schema)
            self._openapi_schemas[path_prefix] = schema
        return self._openapi_schemas[path_prefix]

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        error = super().validation_error_from_error_contexts(error_contexts)
        # Ninja names the body's parameter in each location (["body", "payload", "country"]);
        # the client never sees that name, so report ["body", "country"].
        body_params = {
            name
            for context in error_contexts
            if context.model.__ninja_param_source__ == "body"
            for name in context.model.model_fields
        }
        if len(body_params) == 1:
            for item in error.errors:
                loc = tuple(item.get("loc", ()))
                if loc[:1] == ("body",) and loc[1:2] == tuple(body_params) and len(loc) > 2:
                    item["loc"] = ("body", *loc[2:])
        return error

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Function names are unique across routers by convention, and read well in docs.
        return operation.view_func.__name__

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        not_found = unknown_path(f"{self.urls_namespace}:openapi-view")
        urls = super()._get_urls()
        for bound in self._get_bound_routers():
            for path_view in bound.path_operations.values():
                for operation in path_view.operations:
                    refuse_nul_in_values(operation)
        for pattern in urls:
            if not isinstance(pattern, URLPattern):
                continue
            if pattern.name == "api-root":
                # Ninja's root view raises Http404 outside any handler: an HTML page.
                pattern.callback = not_found
            else:
                pattern.callback = json_method_not_allowed(pattern.callback)
        # Last, so that it only catches what no operation serves.
        urls.append(re_path(r"^.*$", not_found, name="unknown-path"))
        return urls
