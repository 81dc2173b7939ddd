"""Serving the console: its page paths answer the shell's `index.html` (the shell routes in
the browser), its files are served from the package with validators, and the agents whose
`web/` folder holds a `pages.js` are named in the page so the shell loads them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi import APIRouter, FastAPI, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from mercato.kernel.agent import Agent

STATIC = Path(__file__).parent / "static"
AREAS = ("shop", "account", "admin", "explorer")
"""The first segment of every console path (and `/` itself, the storefront's home)."""
SHELL_URL = "/console/shell/"
AGENTS_URL = "/console/agents/"
VENDOR_PREFIX = "vendor/"
"""Files whose name carries their version: cached for a year, never revalidated."""
VENDORED = f"{VENDOR_PREFIX}preact-htm-3.1.1.js"


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
    imports = {"mercato/": SHELL_URL, "preact-htm": f"{SHELL_URL}{VENDORED}"}
    shell: set[str] = {"shell.js"}
    by_agent = {name: _eager(agents[name], "pages.js", shell) for name in sorted(agents)}
    shared = set().union(*(_eager(STATIC, entry, set()) for entry in shell))
    preload = [f"{SHELL_URL}{path}" for path in sorted(shared)]
    preload += [
        f"{AGENTS_URL}{name}/{path}" for name, paths in by_agent.items() for path in sorted(paths)
    ]
    links = "\n".join(f'<link rel="modulepreload" href="{url}">' for url in preload)
    page = (
        template.replace("{{importmap}}", json.dumps({"imports": imports}))
        .replace("{{preload}}", links)
        .replace("{{modules}}", json.dumps(modules).replace("</", "<\\/"))
    )
    return page.encode()


_STATIC_IMPORT = re.compile(
    r"""^\s*(?:import|export)\s[^"']*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']""",
    re.MULTILINE,
)


def _eager(folder: Path, entry: str, shell: set[str]) -> set[str]:
    """`entry` and the modules of `folder` it imports statically, transitively: what the page
    preloads at once (the shell's modules an agent's name go to `shell`). A module imported
    dynamically (`import("./x.js")`: a staff page) is left for when it is first shown."""
    found: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in found or not (folder / name).is_file():
            continue
        found.add(name)
        for match in _STATIC_IMPORT.finditer((folder / name).read_text()):
            spec = match.group(1) or match.group(2)
            if spec.startswith("./"):
                todo.append((Path(name).parent / spec[2:]).as_posix())
            elif spec.startswith("mercato/") or spec == "preact-htm":
                shared = VENDORED if spec == "preact-htm" else spec.removeprefix("mercato/")
                (todo.append if folder == STATIC else shell.add)(shared)
    return found


def mount_console(app: FastAPI, agents: list[Agent]) -> None:
    """The console's routes and files on `app` (none of them in the API's schema)."""
    folders = {agent.name: folder for agent in agents if (folder := _pages_of(agent))}
    page = index_page(folders)
    router = APIRouter(include_in_schema=False)

    async def shell() -> Response:
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
