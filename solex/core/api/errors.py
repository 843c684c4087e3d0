"""Every API error is one JSON shape: what went wrong (``detail``) and where (``errors``).

Clients can show ``detail`` to a person and use ``errors[].loc`` to point at the
field to fix, whatever the status code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from pydantic import BaseModel

if TYPE_CHECKING:
    from ninja import NinjaAPI
    from ninja.operation import Operation

UNAUTHORIZED_DETAIL = (
    "Authentication required: send the header 'Authorization: Bearer <token>' with a "
    "personal access token, or sign in to the site in this browser."
)


class ErrorItem(Schema):
    """One problem with one part of the request."""

    loc: list[str | int] = Field(
        description="Where the problem is: the request part (body, query, path, header) then the field."
    )
    msg: str = Field(description="What is wrong, in words meant for a person.")
    type: str = Field(
        description="A stable machine-readable code, such as missing or string_too_long."
    )


class Error(Schema):
    """The body of every 4xx answer."""

    detail: str = Field(description="What went wrong and what to do about it.")
    errors: list[ErrorItem] = Field(
        default_factory=list, description="Problems with specific fields."
    )


def error_response(
    status: int, detail: str, errors: Iterable[dict[str, Any]] = (), **headers: str
) -> JsonResponse:
    response = JsonResponse({"detail": detail, "errors": list(errors)}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _validation_error(request: HttpRequest, exc: ValidationError) -> JsonResponse:
    errors: list[dict[str, Any]] = []
    fields: list[str] = []
    for error in exc.errors:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        errors.append(
            {"loc": loc, "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))}
        )
        # "body.languages.0" reads better than the bare part name, except for a whole part.
        fields.append(
            ".".join(str(part) for part in loc[1:]) or ".".join(str(part) for part in loc)
        )
    return error_response(
        422, f"The request is not valid; fix: {', '.join(dict.fromkeys(fields))}.", errors
    )


def _domain_validation_error(request: HttpRequest, exc: DjangoValidationError) -> JsonResponse:
    """A rule checked by an action (not by the request schema): reported against body fields."""
    errors: list[dict[str, Any]]
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": ["body", field], "msg": str(message), "type": "invalid"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [
            {"loc": ["body"], "msg": str(message), "type": "invalid"} for message in exc.messages
        ]
    return error_response(422, " ".join(str(error["msg"]) for error in errors), errors)


def _http_error(request: HttpRequest, exc: HttpError) -> JsonResponse:
    if isinstance(exc, AuthenticationError):
        detail = UNAUTHORIZED_DETAIL if exc.message == "Unauthorized" else exc.message
        return error_response(401, detail, WWW_Authenticate='Bearer realm="api"')
    if isinstance(exc, Throttled):
        detail = "Too many requests: wait before trying again."
        if exc.wait:
            return error_response(429, detail, Retry_After=str(int(exc.wait)))
        return error_response(429, detail)
    if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
        return error_response(
            400,
            "The request body is not valid JSON.",
            [
                {
                    "loc": ["body"],
                    "msg": "Send a JSON object with Content-Type: application/json.",
                    "type": "json_invalid",
                }
            ],
        )
    return error_response(exc.status_code, exc.message)


def _not_found(request: HttpRequest, exc: Http404) -> JsonResponse:
    return error_response(404, "Not found: nothing here matches the identifier in the path.")


def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> JsonResponse:
    return error_response(403, str(exc) or "You do not have permission to do this.")


NUL_MESSAGE = "Text may not contain NUL (\\u0000) characters; remove them and try again."


class NulCharacters(Exception):  # noqa: N818 - carries the locations to the error response
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _nul_characters(request: HttpRequest, exc: NulCharacters) -> JsonResponse:
    return error_response(422, NUL_MESSAGE, exc.errors)


def _database_refused_nul(request: HttpRequest, exc: DataError) -> JsonResponse:
    """A backstop: PostgreSQL's driver refuses NUL that reached a query some other way."""
    if "NUL" not in str(exc):
        raise exc
    return error_response(
        422, NUL_MESSAGE, [{"loc": ["body"], "msg": "NUL character", "type": "null_character"}]
    )


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's handlers; unexpected exceptions still reach Django's 500 handling."""
    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (ValidationError, _validation_error),
        (HttpError, _http_error),
        (Http404, _not_found),
        (PermissionDenied, _permission_denied),
        (DjangoValidationError, _domain_validation_error),
        (NulCharacters, _nul_characters),
        (DataError, _database_refused_nul),
    ]
    for exception_class, handler in handlers:
        api.add_exception_handler(exception_class, handler)


def unknown_path(docs_url_name: str) -> Callable[..., JsonResponse]:
    """The view for any path under the API that no operation serves."""

    @csrf_exempt
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        docs_path = reverse(docs_url_name)
        return error_response(
            404, f"No API operation at {request.path}. The operations are listed at {docs_path}."
        )

    return view


def json_method_not_allowed(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Ninja answers an unsupported method in plain text; answer in the error shape instead."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            return error_response(
                405,
                f"{request.method} is not supported here; use one of: {allowed}.",
                Allow=allowed,
            )
        return response

    return wrapper


def _nul_locations(value: Any, loc: tuple[str | int, ...]) -> Iterable[tuple[str | int, ...]]:
    if isinstance(value, str):
        if "\x00" in value:
            yield loc
    elif isinstance(value, BaseModel):
        for name, item in value.__dict__.items():
            yield from _nul_locations(item, (*loc, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nul_locations(item, (*loc, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _nul_locations(item, (*loc, index))


def refuse_nul_in_values(operation: Operation) -> None:
    """Refuse NUL in every declared parameter and body field, on every database, as a 422.

    Fields the operation does not declare are ignored, as everywhere else.
    """
    resolve = operation._get_values

    @wraps(resolve)
    def checked(request: HttpRequest, path_params: Any, temporal_response: HttpResponse) -> Any:
        values = resolve(request, path_params, temporal_response)
        errors = [
            {"loc": list(loc), "msg": "NUL character", "type": "null_character"}
            for name, value in values.items()
            for loc in _nul_locations(value, (name,))
        ]
        if errors:
            raise NulCharacters(errors)
        return values

    operation._get_values = checked  # type: ignore[method-assign]
