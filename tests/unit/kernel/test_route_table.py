"""A mounted router refuses at once a path none of its routes' templates begins (ADR 22,
fourth pass), and FastAPI still finds every route of the app where it did."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.routing import Match

from mercato.app import create_app
from mercato.kernel.config import Settings
from mercato.kernel.route_table import api_routes, guard


class CountingRouter:
    """An included router that says FULL to anything, and counts how often it was asked."""

    def __init__(self) -> None:
        self.asked = 0

    def matches(self, scope: dict[str, Any]) -> tuple[Match, dict[str, Any]]:
        self.asked += 1
        return Match.FULL, {}


def http(path: str, method: str = "GET") -> dict[str, Any]:
    return {"type": "http", "path": path, "method": method, "root_path": ""}


def test_a_path_none_of_the_templates_begins_is_refused_without_trying_the_routes() -> None:
    # given a router of cart routes
    router = CountingRouter()
    guard(router, ["/v1/carts", "/v1/carts/{cart_id}/items/{item_id}", "/v1/tax-rates"])
    # when a product page is asked for
    assert router.matches(http("/v1/products/p1")) == (Match.NONE, {})
    # then the routes were not tried; a cart path still is
    assert router.asked == 0
    assert router.matches(http("/v1/carts/c1/items/i1"))[0] == Match.FULL
    assert router.asked == 1


def concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", template)


def test_every_route_of_the_app_is_found_in_its_own_router(tmp_path: Path) -> None:
    app: FastAPI = create_app(Settings(data_dir=tmp_path))
    routes = app.state.routes.routes
    assert len(routes) > 80
    for template, route in routes:
        method = sorted(route.methods)[0]
        scope = http(concrete(template), method)
        # the first router that takes the path whole, as FastAPI walks them
        taken = next(r for r in app.router.routes if r.matches(dict(scope))[0] == Match.FULL)
        owner = getattr(taken, "original_router", None)
        assert owner is not None, template
        assert id(route) in {id(r) for _, r in api_routes(owner)}, template
