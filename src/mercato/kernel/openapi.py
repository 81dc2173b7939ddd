"""The OpenAPI document lists every status a route can answer, each as problem+json.

A route declares the problems its own code raises, by class:

    @router.post("/carts/{cart_id}/items", responses=problems(CartNotActive, VariantNotFound))

and the kernel adds the ones every route can meet by construction (`by_construction`): a bad
`X-Tenant`, refused credentials, rate limits, an oversized body, an unexpected error; invalid
parameters when it has any; malformed JSON when it takes a JSON body; `forbidden` when it
requires a permission; `not_found` when its path names an object. Each status lists its
problems' stable codes, in the description and as named examples.

The test suite holds routes to it: every answer a test receives is checked against
`answerable_statuses(route)`, the same set the document lists (tests/support/contract.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from http import HTTPStatus
from typing import Any, NamedTuple

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from mercato.kernel.auth import PermissionCheck
from mercato.kernel.errors import (
    PROBLEM_MEDIA_TYPE,
    Forbidden,
    NotFound,
    Problem,
    ProblemDetail,
    Unauthorized,
)
from mercato.kernel.http import (
    InternalError,
    InvalidTenant,
    MalformedJSON,
    Overloaded,
    PayloadTooLarge,
    UnknownTenant,
    ValidationFailed,
)
from mercato.kernel.ratelimit import RateLimited
from mercato.kernel.rules import RuleViolated
from mercato.kernel.rules import get as rule

Refusal = type[Problem] | str
"""A `Problem` subclass, or the id of a business rule (`"BR011"`) whose violation it raises."""

PROBLEM_SCHEMA = "ProblemDetail"
_PROBLEM_REF = {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA}"}
_COMPONENTS = "#/components/schemas/"

EVERY_ROUTE: tuple[type[Problem], ...] = (
    InvalidTenant,  # the edge checks `X-Tenant` before routing
    UnknownTenant,
    MalformedJSON,  # the edge reads any JSON body before routing (UTF-8, depth)
    ValidationFailed,  # and refuses control characters in any body or query parameter
    Unauthorized,  # credentials that are present but not valid, on public routes too
    PayloadTooLarge,  # the edge checks `Content-Length` before routing
    RateLimited,  # refused credentials count against the caller's address on every route
    InternalError,
    Overloaded,  # no database connection came free in time (`database_pool_timeout`)
)
"""What any request can meet, whatever its route."""


def problems(*refusals: Refusal) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the problems its own code raises and the business rules it
    enforces (by id: their rules module must be imported first), grouped by status."""
    kinds = [_kind(refusal) for refusal in refusals]
    return {status: _response(group) for status, group in _by_status(kinds).items()}


def by_construction(route: APIRoute) -> list[type[Problem]]:
    """The problems the kernel makes possible on this route, whatever its code does."""
    found = list(EVERY_ROUTE)
    if any(check.permission is not None for check in permission_checks(route)):
        found.append(Forbidden)
    if _path_parameters(route.dependant):
        found.append(NotFound)
    return found


def answerable_statuses(route: APIRoute) -> frozenset[int]:
    """Every status the document lists for the route: its success, what it declares, and
    what the kernel adds (`by_construction`)."""
    declared = {int(status) for status in route.responses if str(status).isdigit()}
    success = route.status_code or 200
    return frozenset({success, *declared, *(kind.status for kind in by_construction(route))})


def permission_checks(route: APIRoute) -> list[PermissionCheck]:
    """Every `require()` / `public()` among the route's dependencies, however deep."""
    return [call for call in _calls(route.dependant) if isinstance(call, PermissionCheck)]


_CONVERTER = re.compile(r"\{(\w+):\w+\}")


def document(app: FastAPI, routes: Iterable[tuple[str, APIRoute]]) -> dict[str, Any]:
    """The app's OpenAPI document, every operation with all the problems it can answer and
    every `$ref` resolvable from the document's root."""
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components[PROBLEM_SCHEMA] = ProblemDetail.model_json_schema(
        ref_template=_COMPONENTS + "{model}"
    )
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    paths = schema.get("paths", {})
    for path, route in routes:
        for method in route.methods or ():
            # the document writes `{key:path}` as `{key}`
            operation = paths.get(_CONVERTER.sub(r"{\1}", path), {}).get(method.lower())
            if operation is not None:
                kinds = [_kind(kind) for kind in by_construction(route)]
                _complete(operation.setdefault("responses", {}), kinds)
    _hoist_defs(schema, components)
    return schema


def _complete(responses: dict[str, Any], kinds: list[_Kind]) -> None:
    for status, group in _by_status(kinds).items():
        response = responses.setdefault(str(status), {})
        content = response.setdefault("content", {})
        content.pop("application/json", None)  # FastAPI's own 422 (HTTPValidationError)
        problem = content.setdefault(PROBLEM_MEDIA_TYPE, {"schema": _PROBLEM_REF})
        problem.setdefault("examples", {}).update(_examples(group))
    for key, response in responses.items():
        examples = response.get("content", {}).get(PROBLEM_MEDIA_TYPE, {}).get("examples")
        if examples:
            response["description"] = _description(int(key), examples)
    ordered = sorted(responses.items())
    responses.clear()
    responses.update(ordered)


class _Kind(NamedTuple):
    status: int
    code: str
    title: str
    type: str


def _kind(refusal: Refusal) -> _Kind:
    if isinstance(refusal, str):
        broken = rule(refusal)
        return _Kind(broken.status, broken.code, broken.constraint, RuleViolated.uri(broken.code))
    return _Kind(refusal.status, refusal.code, refusal.title, refusal.uri(refusal.code))


def _response(group: list[_Kind]) -> dict[str, Any]:
    examples = _examples(group)
    return {
        "description": _description(group[0].status, examples),
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF, "examples": examples}},
    }


def _examples(group: Iterable[_Kind]) -> dict[str, Any]:
    return {
        kind.code: {
            "summary": kind.title,
            "value": {
                "type": kind.type,
                "title": kind.title,
                "status": kind.status,
                "code": kind.code,
            },
        }
        for kind in group
    }


def _description(status: int, examples: dict[str, Any]) -> str:
    codes = ", ".join(f"`{code}`" for code in sorted(examples))
    return f"{HTTPStatus(status).phrase}: {codes}"


def _by_status(kinds: Iterable[_Kind]) -> dict[int, list[_Kind]]:
    grouped: dict[int, list[_Kind]] = {}
    for kind in kinds:
        grouped.setdefault(kind.status, []).append(kind)
    return dict(sorted(grouped.items()))


def _calls(dependant: Dependant) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def _path_parameters(dependant: Dependant) -> bool:
    return bool(dependant.path_params or any(_path_parameters(d) for d in dependant.dependencies))


def _hoist_defs(schema: dict[str, Any], components: dict[str, Any]) -> None:
    """Move the `$defs` of schemas written by hand (`Model.model_json_schema()` in
    `openapi_extra`) into the components, and point their `$ref`s there: a `#/$defs/…`
    reference does not resolve from the document's root."""
    hoisted: dict[str, Any] = {}
    _collect_defs(schema, hoisted)
    for name, definition in hoisted.items():
        if components.setdefault(name, definition) != definition:
            raise ValueError(f"two different schemas are named {name!r}")


def _collect_defs(node: Any, hoisted: dict[str, Any]) -> None:
    if isinstance(node, dict):
        for name, definition in node.pop("$defs", {}).items():
            _collect_defs(definition, hoisted)
            hoisted[name] = definition
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            node["$ref"] = _COMPONENTS + ref.removeprefix("#/$defs/")
        for value in node.values():
            _collect_defs(value, hoisted)
    elif isinstance(node, list):
        for value in node:
            _collect_defs(value, hoisted)
