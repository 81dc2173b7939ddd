"""Who is on a WebSocket, and in which store: the edge middleware resolves both for HTTP
requests only, so each socket route asks here.

Browsers cannot set headers on a WebSocket, so credentials may come as query parameters:
`token` (a bearer token) or `session_token` (a guest's), and `tenant` for `X-Tenant`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi import WebSocket
from starlette.requests import Request

from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from mercato.kernel.errors import Problem

CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_UNKNOWN_STORE = 4404
_TENANT = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def store_of(kernel: Kernel, socket: WebSocket) -> str | None:
    """The store the socket names (`X-Tenant`, `?tenant=`) or its host answers for."""
    named = socket.headers.get("x-tenant") or socket.query_params.get("tenant")
    if named is not None and not _TENANT.match(named):
        return None
    directory = getattr(kernel, "tenants", None)
    if directory is None:
        return named or kernel.settings.default_tenant
    host = socket.headers.get("host", "").rsplit(":", 1)[0].lower() or None
    store: str | None = directory.resolve(header=named, host=host)
    return store


async def principal_of(
    kernel: Kernel, socket: WebSocket, store: str, *, token: str | None = None
) -> Principal | None:
    """Who is on the socket, through the kernel's authenticators (as for an HTTP request);
    None for no credential or a bad one. `token`: a bearer token the client sent in its
    first message (kept out of URLs, which logs keep), instead of the query's."""
    headers = [
        (k.lower().encode("latin-1"), v.encode("latin-1"))
        for k, v in socket.headers.items()
        if token is None or k.lower() != "authorization"
    ]
    token = token or socket.query_params.get("token")
    session = socket.query_params.get("session_token")
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode("latin-1")))
    if session:
        headers.append((b"x-session-token", session.encode("latin-1")))
    scope = {**socket.scope, "type": "http", "method": "GET", "headers": headers}
    request = Request(scope)
    try:
        for authenticator in kernel.authenticators:
            found: Principal | None = await authenticator.authenticate(request, store)
            if found is not None:
                return found
    except Problem:
        return None
    return None


@dataclass(frozen=True)
class Caller:
    """Who opened a socket: the kernel serving it, the store, the principal (None: no
    credential, or a bad one)."""

    kernel: Kernel
    store: str
    principal: Principal | None


async def caller_of(socket: WebSocket) -> Caller | None:
    """The socket's caller; None once it is closed (4404) for naming no known store. The
    store is bound for the principal's lookup only: bind it again for the socket's work."""
    kernel: Kernel = socket.app.state.kernel
    store = store_of(kernel, socket)
    if store is None:
        await socket.close(code=CLOSE_UNKNOWN_STORE, reason="unknown store")
        return None
    with bind(tenant_id=store):
        return Caller(kernel, store, await principal_of(kernel, socket, store))
