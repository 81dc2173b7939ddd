"""Headers the edge adds to every answer, decided per request:

- the fixed hardening headers (no sniffing, no framing, no referrer, …);
- `Strict-Transport-Security` when the request came over HTTPS, directly or through a
  trusted proxy (`X-Forwarded-Proto`): a browser told so over plain HTTP would ignore it;
- `Content-Security-Policy` on every HTML page: scripts only from this origin, plus the
  inline scripts of that very page by their SHA-256 (the API docs pages have one), so an
  injected script does not run;
- `Cache-Control: no-store` unless the answer is the same for everybody (an anonymous GET):
  nothing a shopper or staff member sees stays in a shared or browser cache;
- no `Content-Type` (and no body) on 204 and 304, which carry no content.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
RawHeaders = list[tuple[bytes, bytes]]

HARDENING = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
NO_STORE = (b"cache-control", b"no-store")
CSP_BASE = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_CREDENTIALS = ("authorization", "x-session-token", "cookie")
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
_NO_CONTENT = {204, 304}
_CONTENT_HEADERS = {b"content-type", b"content-length"}


def content_security_policy(html: bytes) -> str:
    """The policy of one page: its inline scripts allowed by hash, nothing else inline."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    ]
    return f"{CSP_BASE}; script-src 'self' {' '.join(hashes)}".rstrip()


class ResponseHeaders:
    """The headers of one request's answer (see the module's docstring)."""

    def __init__(self, scope: MutableMapping[str, Any], request_headers: dict[str, str]) -> None:
        self.https = scope.get("scheme") == "https"
        self.shared = scope.get("method") in {"GET", "HEAD"} and not any(
            name in request_headers for name in _CREDENTIALS
        )
        self.drop_body = False
        self._held: Message | None = None
        self._html: list[bytes] = []

    def finish(self, status: int, headers: RawHeaders) -> RawHeaders:
        names = {name.lower() for name, _ in headers}
        if status in _NO_CONTENT:
            self.drop_body = True
            headers = [
                h for h in headers if h[0].lower() not in {b"content-type", b"content-length"}
            ]
        out = [*headers, *HARDENING]
        if self.https:
            out.append(HSTS)
        if not self.shared and b"cache-control" not in names:
            out.append(NO_STORE)
        return out

    async def send(self, message: Message, send: Send) -> None:
        """Pass a message on; an HTML answer is held until its body is complete, so that
        its policy can name its inline scripts."""
        if message["type"] == "http.response.start" and _is_html(message["headers"]):
            self._held = message
            return
        if self._held is None or message["type"] != "http.response.body":
            await send(message)
            return
        self._html.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        page = b"".join(self._html)
        start, self._held = self._held, None
        start["headers"] = [
            *(h for h in start["headers"] if h[0].lower() != b"content-length"),
            (b"content-length", str(len(page)).encode()),
            (b"content-security-policy", content_security_policy(page).encode()),
        ]
        await send(start)
        await send({"type": "http.response.body", "body": page, "more_body": False})


def _is_html(headers: RawHeaders) -> bool:
    return any(
        name.lower() == b"content-type" and value.lower().startswith(b"text/html")
        for name, value in headers
    )
