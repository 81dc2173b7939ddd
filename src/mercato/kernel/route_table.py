"""Where the app's routes are: the full path template of each, and a quick refusal for the
routers a request's path cannot reach.

FastAPI (0.165) keeps each included router nested and tries its routes one by one, with
bookkeeping around each try, and tries the chosen router's routes twice: a request for
`/v1/checkout` was matched against some 80 routes before its own, about a tenth of a
server's CPU under the mixed load (yappi, CPU clock). A route's path begins with its
template's literal part, so a router none of whose literal parts begins the request's path
cannot match it: `mount` gives each router that test, run before FastAPI's (ADR 22, fourth
pass). What FastAPI would answer is unchanged: only routers that could not match are
skipped.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope


class RouteTable:
    """Every API route of the app with its full path template (prefixes included).

    FastAPI nests included routers instead of flattening them into `app.routes`, so the
    kernel records the full template of each route as it mounts it: metrics label requests
    by it, and tests walk it to check every route's declared permission.
    """

    def __init__(self) -> None:
        self.routes: list[tuple[str, APIRoute]] = []
        self._templates: dict[int, str] = {}

    def add(self, path: str, route: APIRoute) -> None:
        self.routes.append((path, route))
        self._templates[id(route)] = path

    def template(self, route: object) -> str | None:
        return self._templates.get(id(route))


def mount(app: FastAPI, router: APIRouter, *, prefix: str = "") -> None:
    """Include a router, record its routes' full paths, and let it refuse at once a path
    none of them can match."""
    app.include_router(router, prefix=prefix)
    found = api_routes(router, prefix)
    for path, route in found:
        app.state.routes.add(path, route)
    included = app.router.routes[-1]
    if getattr(included, "original_router", None) is router:
        guard(included, [path for path, _ in found] + websocket_paths(router, prefix))


def guard(included: Any, templates: list[str]) -> None:
    """`included.matches` refuses a path that begins with none of the templates' literal
    parts, before FastAPI tries each route."""
    starts = tuple(sorted({template.split("{", 1)[0] for template in templates}))
    full = included.matches

    def matches(scope: Scope) -> tuple[Match, Scope]:
        if not get_route_path(scope).startswith(starts):
            return Match.NONE, {}
        return full(scope)  # type: ignore[no-any-return]

    included.matches = matches


def api_routes(router: APIRouter, prefix: str = "") -> list[tuple[str, APIRoute]]:
    """Every API route of a router with its full path, through the routers it includes
    (FastAPI keeps an included router nested, with its own prefix)."""
    found: list[tuple[str, APIRoute]] = []
    for route in router.routes:
        if isinstance(route, APIRoute):
            found.append((prefix + route.path, route))
        elif isinstance(nested := getattr(route, "original_router", None), APIRouter):
            found += api_routes(nested, prefix + route.include_context.prefix)  # type: ignore[attr-defined]
    return found


def websocket_paths(router: APIRouter, prefix: str = "") -> list[str]:
    """The full paths of a router's WebSocket routes (the guard lets them through too)."""
    found: list[str] = []
    for route in router.routes:
        if isinstance(route, APIWebSocketRoute):
            found.append(prefix + route.path)
        elif isinstance(nested := getattr(route, "original_router", None), APIRouter):
            found += websocket_paths(nested, prefix + route.include_context.prefix)  # type: ignore[attr-defined]
    return found
