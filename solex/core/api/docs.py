"""The API reference page: the OpenAPI schema rendered as plain HTML on the server.

Ninja's Swagger and Redoc pages fetch JavaScript and CSS from a CDN, which our
content security policy forbids and which offline or slow networks cannot reach. This
page reads the same schema as ``openapi.json``, so it cannot drift from the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

METHOD_ORDER = ["get", "post", "put", "patch", "delete"]
REF_PREFIX = "#/components/schemas/"


@dataclass
class FieldDoc:
    name: str
    type: str
    required: bool
    description: str = ""
    location: str = ""
    schema_anchor: str = ""


@dataclass
class ResponseDoc:
    status: str
    description: str
    type: str = ""
    schema_anchor: str = ""


@dataclass
class OperationDoc:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    authentication: str
    parameters: list[FieldDoc] = field(default_factory=list)
    body: list[FieldDoc] = field(default_factory=list)
    body_type: str = ""
    body_anchor: str = ""
    responses: list[ResponseDoc] = field(default_factory=list)


@dataclass
class TagDoc:
    name: str
    anchor: str
    operations: list[OperationDoc] = field(default_factory=list)


@dataclass
class SchemaDoc:
    name: str
    anchor: str
    description: str
    fields: list[FieldDoc]


def schema_anchor(name: str) -> str:
    return f"schema-{slugify(name)}"


def _ref_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref", "")
    return ref.removeprefix(REF_PREFIX) if isinstance(ref, str) else ""


def describe_type(schema: dict[str, Any]) -> str:
    """A short human reading of a JSON schema: "string, 2 characters", "list of Token"."""
    if name := _ref_name(schema):
        return name
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return " or ".join(describe_type(option) for option in schema[combinator])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return describe_type(schema["allOf"][0])
    if "enum" in schema:
        return "one of: " + ", ".join(
            repr(value) if value == "" else str(value) for value in schema["enum"]
        )
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array":
        return f"list of {describe_type(schema.get('items', {}))}" + _bounds(
            schema, "minItems", "maxItems", "items"
        )
    text = str(kind)
    if "format" in schema:
        text += f" ({schema['format']})"
    if kind == "string":
        text += _bounds(schema, "minLength", "maxLength", "characters")
    elif kind in {"integer", "number"}:
        text += _bounds(schema, "minimum", "maximum", "")
    if "pattern" in schema:
        text += f", matching {schema['pattern']}"
    if "default" in schema:
        text += f", default {schema['default']!r}"
    return text


def _bounds(schema: dict[str, Any], low_key: str, high_key: str, unit: str) -> str:
    low, high = schema.get(low_key), schema.get(high_key)
    unit = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f", {low} to {high}{unit}" if low != high else f", {low}{unit}"
    if high is not None:
        return f", at most {high}{unit}"
    if low is not None:
        return f", at least {low}{unit}"
    return ""


def _first_ref(schema: dict[str, Any]) -> str:
    """The component a field's type names, directly or through a list or a union."""
    if name := _ref_name(schema):
        return name
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            if name := _first_ref(option):
                return name
    if "items" in schema:
        return _first_ref(schema["items"])
    return ""


def object_fields(schema: dict[str, Any]) -> list[FieldDoc]:
    required = set(schema.get("required", []))
    fields = []
    for name, details in schema.get("properties", {}).items():
        ref = _first_ref(details)
        fields.append(
            FieldDoc(
                name=name,
                type=describe_type(details),
                required=name in required,
                description=details.get("description", ""),
                schema_anchor=schema_anchor(ref) if ref else "",
            )
        )
    return fields


def _authentication(operation: dict[str, Any]) -> str:
    security = operation.get("security")
    if not security:
        return "none"
    return "optional" if {} in security else "required"


def _operation(
    method: str, path: str, details: dict[str, Any], components: dict[str, Any]
) -> OperationDoc:
    doc = OperationDoc(
        method=method.upper(),
        path=path,
        summary=details.get("summary", ""),
        description=details.get("description", ""),
        anchor=slugify(details.get("operationId", f"{method}-{path}")),
        authentication=_authentication(details),
    )
    for parameter in details.get("parameters", []):
        doc.parameters.append(
            FieldDoc(
                name=parameter["name"],
                location=parameter["in"],
                type=describe_type(parameter.get("schema", {})),
                required=bool(parameter.get("required")),
                description=parameter.get("description", ""),
            )
        )
    body = (
        details.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    )
    if body:
        name = _ref_name(body)
        doc.body_type = name or describe_type(body)
        doc.body_anchor = schema_anchor(name) if name else ""
        doc.body = object_fields(components.get(name, body))
    for status, response in sorted(details.get("responses", {}).items()):
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        ref = _first_ref(schema)
        doc.responses.append(
            ResponseDoc(
                status=str(status),
                description=response.get("description", ""),
                type=describe_type(schema) if schema else "",
                schema_anchor=schema_anchor(ref) if ref else "",
            )
        )
    return doc


def reference(openapi: dict[str, Any]) -> tuple[list[TagDoc], list[SchemaDoc]]:
    """Operations grouped by tag (in order of first appearance), and the schemas they use."""
    components = openapi.get("components", {}).get("schemas", {})
    tags: dict[str, TagDoc] = {}
    for path, methods in openapi.get("paths", {}).items():
        for method in sorted(
            methods, key=lambda m: METHOD_ORDER.index(m) if m in METHOD_ORDER else 99
        ):
            details = methods[method]
            for tag in details.get("tags") or ["other"]:
                tag_doc = tags.setdefault(tag, TagDoc(name=tag, anchor=f"tag-{slugify(tag)}"))
                tag_doc.operations.append(_operation(method, path, details, components))
    schemas = [
        SchemaDoc(
            name=name,
            anchor=schema_anchor(name),
            description=schema.get("description", ""),
            fields=object_fields(schema),
        )
        for name, schema in sorted(components.items())
    ]
    return list(tags.values()), schemas


class ServerRenderedDocs(DocsBase):
    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        openapi = api.get_openapi_schema(path_params=kwargs)
        tags, schemas = reference(openapi)
        context = {
            "api": api,
            "tags": tags,
            "schemas": schemas,
            "openapi_url": self.get_openapi_url(api, kwargs),
            "api_root": request.build_absolute_uri(api.get_root_path(kwargs)),
        }
        return render(request, self.template, context)
