"""Serving the console: its page paths answer the shell's `index.html` (the shell routes in
the browser), its files are served from the package with validators, and the agents whose
`web/` folder holds a `pages.js` are named in the page so the shell loads them."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

import mercato
from mercato.kernel.agent import Agent

STATIC = Path(__file__).parent / "static"
AREAS = ("shop", "account", "admin", "explorer")
"""The first segment of every console path (and `/` itself, the storefront's home)."""
SHELL_URL = "/console/shell/"
AGENTS_URL = "/console/agents/"
VENDOR_PREFIX = "vendor/"
"""Files whose name carries their version: cached for a year, never revalidated."""


class ConsoleFiles(StaticFiles):
    """Package files with ETag and Last-Modified (a repeat visit is a 304): revalidated on
    every use, except vendored files named by their version, which never change."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if path.startswith(VENDOR_PREFIX):
            response.headers["cache-control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["cache-control"] = "no-cache"
        return response


def index_page(agents: dict[str, Path]) -> bytes:
    """The shell's page with the import map (`mercato/` is the shell's folder) and the
    agents' page modules named in a data block."""
    template = (STATIC / "index.html").read_text()
    modules = {name: f"{AGENTS_URL}{name}/pages.js" for name in sorted(agents)}
    imports = {"mercato/": SHELL_URL, "preact-htm": f"{SHELL_URL}vendor/preact-htm-3.1.1.js"}
    preload = [f"{SHELL_URL}{path}" for path in _modules(STATIC)] + [
        f"{AGENTS_URL}{name}/{path}" for name in sorted(agents) for path in _modules(agents[name])
    ]
    links = "\n".join(f'<link rel="modulepreload" href="{url}">' for url in preload)
    page = (
        template.replace("{{importmap}}", json.dumps({"imports": imports}))
        .replace("{{preload}}", links)
        .replace("{{modules}}", json.dumps(modules).replace("</", "<\\/"))
        .replace("{{version}}", mercato.__version__)
    )
    return page.encode()


def _modules(folder: Path) -> list[str]:
    """Every module under `folder` (its path there): preloaded all at once, so the browser
    does not discover them import by import, one round trip per level. (The page names them
    after its import map: a module fetched before the map would not resolve `mercato/…`.)"""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*.js"))


def mount_console(app: FastAPI, agents: list[Agent]) -> None:
    """The console's routes and files on `app` (none of them in the API's schema)."""
    folders = {agent.name: folder for agent in agents if (folder := _pages_of(agent))}
    page = index_page(folders)
    router = APIRouter(include_in_schema=False)

    async def shell(request: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)

    router.add_api_route("/", shell, methods=["GET"])
    for area in AREAS:
        router.add_api_route(f"/{area}", shell, methods=["GET"])
        router.add_api_route(f"/{area}/{{rest:path}}", shell, methods=["GET"])
    app.include_router(router)
    app.mount(SHELL_URL.rstrip("/"), ConsoleFiles(directory=STATIC), name="console-shell")
    for name, folder in folders.items():
        app.mount(f"{AGENTS_URL}{name}", ConsoleFiles(directory=folder), name=f"console-{name}")


def _pages_of(agent: Agent) -> Path | None:
    folder = agent.web
    return folder if folder is not None and (folder / "pages.js").is_file() else None


_PAGE_HEADERS = {"cache-control": "no-cache"}
