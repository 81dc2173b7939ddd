"""The HTTP edge the kernel puts in front of every agent: problem+json errors, request ids,
a request size limit, input that no route should see, security headers, latency metrics and
tracing spans."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry import trace
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from mercato.kernel import context
from mercato.kernel.errors import PROBLEM_MEDIA_TYPE, Problem
from mercato.kernel.ids import new_id
from mercato.kernel.input_guard import MalformedBodyError, check_json, check_query
from mercato.kernel.observability import metrics, statement_tally
from mercato.kernel.proxies import TrustedProxies
from mercato.kernel.response_headers import ResponseHeaders
from mercato.kernel.route_table import RouteTable
from mercato.kernel.security import AnotherStoresObject

log = structlog.get_logger("mercato.http")
tracer = trace.get_tracer("mercato.http")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _safe_id(value: str | None) -> str | None:
    """A caller's request or correlation id, if it is short and plain; else None (a fresh
    one is made): it is logged, echoed and stored with every event."""
    return value if value is not None and _ID_PATTERN.match(value) else None


TENANT_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class InvalidTenant(Problem):
    status, code, title = 400, "invalid_tenant", "Invalid tenant"


class UnknownTenant(Problem):
    status, code, title = 404, "unknown_tenant", "No such store"


class MalformedJSON(Problem):
    status, code, title = 400, "malformed_json", "Malformed JSON"


class ValidationFailed(Problem):
    status, code, title = 422, "validation_failed", "The request is not valid"


class PayloadTooLarge(Problem):
    status, code, title = 413, "payload_too_large", "Request body too large"


class RouteNotFound(Problem):
    status, code, title = 404, "route_not_found", "No such route"


class MethodNotAllowed(Problem):
    status, code, title = 405, "method_not_allowed", "Method not allowed"


class InternalError(Problem):
    status, code, title = 500, "internal_error", "Internal server error"


class Overloaded(Problem):
    status, code, title = 503, "overloaded", "The server is overloaded"
    headers = {"Retry-After": "1"}


REFUSED_CONNECTION_STATES = {
    "53300": "the database has no connection left for this server (its max_connections)",
    "57P03": "the database is starting up or shutting down",
}
"""SQLSTATEs of a database that refused a new connection, not the request: the caller
should retry, as after a pool timeout (see `database_pool_size` on sizing pools)."""


def problem_response(
    problem: Problem, path: str | None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = problem.to_detail(instance=path, correlation_id=context.correlation_var.get())
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        if exc.status >= 500:
            log.error("server_problem", code=exc.code, detail=exc.detail, path=request.url.path)
        if isinstance(exc, AnotherStoresObject):  # the request's unit of work has ended
            await exc.record(request.app.state.kernel.uow)
        return problem_response(exc, request.url.path, getattr(exc, "headers", None))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        problem: Problem
        if exc.status_code == 404:
            problem = RouteNotFound(f"{request.method} {request.url.path} matches no route")
        elif exc.status_code == 413:
            problem = PayloadTooLarge(str(exc.detail))
        elif exc.status_code == 405:
            problem = MethodNotAllowed(f"{request.method} is not allowed on {request.url.path}")
        else:
            problem = Problem(str(exc.detail))
            problem.status, problem.code, problem.title = (
                exc.status_code,
                "http_error",
                str(exc.detail),
            )
        return problem_response(problem, request.url.path, dict(exc.headers or {}))

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [_field_error(e) for e in exc.errors()]
        if any(e["type"] == "json_invalid" for e in errors):
            return problem_response(MalformedJSON("the body is not valid JSON"), request.url.path)
        return problem_response(
            ValidationFailed(f"{len(errors)} field(s) failed validation", errors=errors),
            request.url.path,
        )

    async def on_pool_timeout(request: Request, exc: Exception) -> JSONResponse:
        """Every database connection stayed busy for `database_pool_timeout`: the server is
        past its capacity, which the caller should hear as such (and retry), not as a bug."""
        log.warning("database_pool_exhausted", path=request.url.path)
        problem = Overloaded("no database connection came free in time; retry shortly")
        return problem_response(problem, request.url.path, dict(Overloaded.headers))

    async def on_database_error(request: Request, exc: Exception) -> JSONResponse:
        """A database that refused a new connection is a 503 to retry; any other database
        error goes on to the edge, which answers it 500 `internal_error`."""
        assert isinstance(exc, DBAPIError)
        reason = REFUSED_CONNECTION_STATES.get(getattr(exc.orig, "sqlstate", None) or "")
        if reason is None:
            raise exc
        log.warning("database_refused_connection", path=request.url.path, reason=reason)
        problem = Overloaded(f"{reason}; retry shortly")
        return problem_response(problem, request.url.path, dict(Overloaded.headers))

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(PoolTimeout, on_pool_timeout)
    app.add_exception_handler(DBAPIError, on_database_error)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)


def _field_error(error: Any) -> dict[str, Any]:
    loc = [str(p) for p in error.get("loc", ())]
    return {
        "field": ".".join(loc),
        "loc": loc,
        "message": error.get("msg", ""),
        "type": error.get("type", ""),
    }


class CorsRefused(Problem):
    status, code, title = 400, "cors_refused", "Cross-origin request refused"


class ProblemCORSMiddleware(CORSMiddleware):
    """Starlette's CORS middleware, whose refused preflights answer problem+json too."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        return problem_response(CorsRefused(bytes(response.body).decode()), None)


class EdgeMiddleware:
    """Pure ASGI middleware (streaming-safe): ids, size limit, metrics, a span per request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_upload_bytes: int | None = None,
        default_tenant: str,
        trusted_proxies: TrustedProxies | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max(max_upload_bytes or 0, max_body_bytes)
        """The limit of a multipart/form-data body (a file upload); every other is held to
        `max_body_bytes`."""
        self.default_tenant = default_tenant
        self.trusted_proxies = trusted_proxies or TrustedProxies("")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        self.trusted_proxies.apply(scope, headers)
        answer = ResponseHeaders(scope, headers)
        request_id = _safe_id(headers.get("x-request-id")) or new_id()
        correlation_id = _safe_id(headers.get("x-correlation-id")) or request_id
        started = time.perf_counter()
        status = 500

        status_sent = False

        async def send_with_ids(message: Message) -> None:
            nonlocal status, status_sent
            if message["type"] == "http.response.start":
                status, status_sent = message["status"], True
                # Time spent in the server until the answer starts: what benchmarks read as
                # the server-side latency (the client's own time excluded).
                elapsed_ms = (time.perf_counter() - started) * 1000
                message["headers"] = [
                    *answer.finish(status, message.get("headers", [])),
                    (b"server-timing", f"app;dur={elapsed_ms:.2f}".encode()),
                    (b"x-request-id", request_id.encode()),
                    (b"x-correlation-id", correlation_id.encode()),
                ]
            elif message["type"] == "http.response.body" and answer.drop_body:
                message = {**message, "body": b""}
            await answer.send(message, send)

        tenant, problem = self._tenant(scope, headers)
        if problem is not None:
            await problem_response(problem, scope["path"])(scope, _empty_receive, send_with_ids)
            return
        tally = [0]
        tally_token = statement_tally.set(tally)
        with (
            context.bind(tenant_id=tenant, correlation_id=correlation_id),
            structlog.contextvars.bound_contextvars(request_id=request_id),
            tracer.start_as_current_span(f"{scope['method']} {scope['path']}") as span,
        ):
            declared = headers.get("content-length")
            limit = self._limit(headers)
            if declared is not None and declared.isdigit() and int(declared) > limit:
                await self._too_large(scope, send_with_ids, limit)
            else:
                checked = await self._checked_input(scope, headers, receive, limit)
                if isinstance(checked, Problem):
                    await problem_response(checked, scope["path"])(
                        scope, _empty_receive, send_with_ids
                    )
                else:
                    await self._serve(scope, checked, send_with_ids, lambda: status_sent)
            self._observe(scope, span, status, started, tally)
        statement_tally.reset(tally_token)

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, started_answer: Callable[[], bool]
    ) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:  # handled here, where the correlation id is bound
            log.exception("unhandled_error", path=scope["path"], exc_info=exc)
            if started_answer():
                raise
            await problem_response(
                InternalError(
                    "an unexpected error occurred; quote the correlation id when reporting it"
                ),
                scope["path"],
            )(scope, _empty_receive, send)

    def _limit(self, headers: dict[str, str]) -> int:
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        upload = content_type == "multipart/form-data"
        return self.max_upload_bytes if upload else self.max_body_bytes

    async def _checked_input(
        self, scope: Scope, headers: dict[str, str], receive: Receive, limit: int
    ) -> Problem | Receive:
        """The problem with the request's query or JSON body, or the `receive` the app reads
        its body from: the size-limited stream, or a replay of a JSON body read to check it."""
        errors = check_query(scope.get("query_string", b""))
        if errors:
            return ValidationFailed(f"{len(errors)} field(s) failed validation", errors=errors)
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        is_json = content_type == "application/json" or content_type.endswith("+json")
        if scope["method"] in {"GET", "HEAD", "OPTIONS"} or not is_json:
            return self._limited(receive, limit)
        try:
            body = await self._read_body(receive, limit)
        except StarletteHTTPException as exc:
            return PayloadTooLarge(str(exc.detail))
        if body.strip():
            try:
                check_json(body)
            except MalformedBodyError as exc:
                return MalformedJSON(str(exc))
        return _replay(body)

    async def _read_body(self, receive: Receive, limit: int) -> bytes:
        limited, chunks = self._limited(receive, limit), []
        while True:
            message = await limited()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _observe(
        self, scope: Scope, span: Any, status: int, started: float, tally: list[int]
    ) -> None:
        table: RouteTable | None = getattr(scope["app"].state, "routes", None)
        route = scope.get("route")
        template = (table.template(route) if table else None) or getattr(route, "path", "unmatched")
        span.set_attribute("http.route", template)
        span.set_attribute("http.status_code", status)
        metrics.http_latency.labels(scope["method"], template, str(status)).observe(
            time.perf_counter() - started
        )
        metrics.sql_statements.labels(f"{scope['method']} {template}").inc(tally[0])

    def _tenant(self, scope: Scope, headers: dict[str, str]) -> tuple[str, Problem | None]:
        """The store the request names: `X-Tenant`, else its host name, else the default."""
        header = headers.get("x-tenant")
        if header is not None and not TENANT_PATTERN.match(header):
            return "", InvalidTenant("X-Tenant must be 1-63 lowercase letters, digits or hyphens")
        kernel = getattr(scope["app"].state, "kernel", None)
        directory = getattr(kernel, "tenants", None)
        if directory is None:
            return header or self.default_tenant, None
        host = headers.get("host", "").rsplit(":", 1)[0].lower() or None
        tenant = directory.resolve(header=header, host=host)
        if tenant is None:
            return "", UnknownTenant(f"no store named {header or host!r}")
        return tenant, None

    def _limited(self, receive: Receive, limit: int) -> Receive:
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # FastAPI re-raises HTTPException from body parsing (anything else becomes
                    # a 400), and the handler below turns it into `payload_too_large`.
                    raise StarletteHTTPException(413, f"the body exceeds {limit} bytes")
            return message

        return limited

    async def _too_large(self, scope: Scope, send: Send, limit: int) -> None:
        response = problem_response(
            PayloadTooLarge(f"the body exceeds {limit} bytes"), scope["path"]
        )
        await response(scope, _empty_receive, send)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _replay(body: bytes) -> Receive:
    """A `receive` that hands the app a body the edge has already read, then waits for the
    client to disconnect, as a real one would."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive
