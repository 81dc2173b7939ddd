"""The console is served by the app itself: its page paths answer the shell's page (the
browser routes), its files come with validators, and the API's own paths are untouched."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from mercato.kernel.config import Settings
from tests.support.store import store_for

PAGES = ["/", "/shop", "/shop/products", "/shop/products/p-1", "/account/orders/o-1", "/admin"]


def modules_of(page: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="console-modules">(.*?)</script>', page)
    assert found is not None
    named: dict[str, str] = json.loads(found.group(1))
    return named


@pytest.mark.parametrize("path", PAGES)
async def test_every_console_path_is_the_shell_page(
    make_settings: Callable[..., Settings], path: str
) -> None:
    async with store_for(make_settings(), start=False) as (_, client):
        # when a browser asks for a console path
        answer = await client.get(path)
    # then it gets the shell's page, which names the agents' page modules
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["cache-control"] == "no-cache"
    assert set(modules_of(answer.text)) >= {"catalog", "cart", "orders", "identity"}
    # and the import map comes before any module is fetched, each of which is preloaded
    assert answer.text.index('type="importmap"') < answer.text.index('rel="modulepreload"')
    assert '<link rel="modulepreload" href="/console/agents/catalog/pages.js">' in answer.text
    # but not a staff page's module: it is fetched when that page is first shown
    assert "/console/agents/catalog/admin_products.js" not in answer.text
    # and its policy lets only this origin's scripts and the page's own import map run
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1]


async def test_the_shell_and_the_agents_files_are_served_with_validators(
    make_settings: Callable[..., Settings],
) -> None:
    async with store_for(make_settings(), start=False) as (_, client):
        page = (await client.get("/")).text
        shell = await client.get("/console/shell/shell.js")
        again = await client.get(
            "/console/shell/shell.js", headers={"if-none-match": shell.headers["etag"]}
        )
        vendor = await client.get("/console/shell/vendor/preact-htm-3.1.1.js")
        agents = [await client.get(url) for url in modules_of(page).values()]
    # then each file is JavaScript, revalidated on every use (304 when unchanged)
    assert shell.status_code == 200 and "javascript" in shell.headers["content-type"]
    assert shell.headers["cache-control"] == "no-cache" and again.status_code == 304
    # and the vendored library, named by its version, is cached for good
    assert vendor.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert all(a.status_code == 200 and "export default" in a.text for a in agents)


async def test_a_missing_console_file_is_a_404_and_the_api_is_untouched(
    make_settings: Callable[..., Settings],
) -> None:
    async with store_for(make_settings(), start=False) as (_, client):
        missing = await client.get("/console/shell/nothing.js")
        api = await client.get("/v1/no-such-route")
    assert missing.status_code == 404
    assert api.status_code == 404 and api.json()["code"] == "route_not_found"


async def test_an_api_only_deployment_serves_no_console(
    make_settings: Callable[..., Settings],
) -> None:
    # given the console turned off
    async with store_for(make_settings(console_enabled=False), start=False) as (_, client):
        # when the console is asked for
        home = await client.get("/")
        shell = await client.get("/console/shell/shell.js")
    # then neither the page nor its files are there
    assert home.status_code == 404 and shell.status_code == 404
