"""Routes that carry their own proof instead of a login: one-click unsubscribe (a signed
token), providers' delivery webhooks (SES through SNS: a secret key in the address and SNS's
signature; Twilio: its request signature), and a device's receipt of a push (its token)."""

from __future__ import annotations

import hmac
from html import escape
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from mercato.agents.notifications import deliveries, signing, unsubscribing
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.problems import WebhookRejected
from mercato.agents.notifications.providers.base import DeliveryReport
from mercato.agents.notifications.providers.ses_events import (
    InvalidSnsMessage,
    parse_sns,
    verify_sns_signature,
)
from mercato.agents.notifications.providers.sms_twilio import (
    parse_status_callback,
    verify_twilio_signature,
)
from mercato.agents.notifications.schemas import ReceiptIn
from mercato.agents.notifications.unsubscribing import InvalidUnsubscribeLink
from mercato.kernel.auth import Principal, public
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/notifications", tags=["notifications"])
Anyone = Annotated[Principal, Depends(public())]
Token = Annotated[str, Query(min_length=10, max_length=2000)]

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;
color:#18181b}}button{{font:inherit;padding:.6rem 1rem;border-radius:.4rem;border:0;
background:#18181b;color:#fff;cursor:pointer}}</style></head><body>{body}</body></html>"""


@router.get("/unsubscribe", response_class=HTMLResponse, responses=problems(InvalidUnsubscribeLink))
async def unsubscribe_page(token: Token, kernel: KernelDep, _: Anyone) -> HTMLResponse:
    """The link in a marketing mail: a page with one button (opening it changes nothing, as
    mail scanners open links)."""
    address, scope = unsubscribing.read(kernel.deps(NotificationDeps), token)
    body = (
        f"<h1>Unsubscribe</h1><p>Stop {escape(scope)} messages to "
        f"<strong>{escape(address)}</strong>?</p><form method=post>"
        f"<button type=submit>Unsubscribe</button></form>"
    )
    return HTMLResponse(_PAGE.format(title="Unsubscribe", body=body))


@router.post(
    "/unsubscribe", response_class=HTMLResponse, responses=problems(InvalidUnsubscribeLink)
)
async def unsubscribe(token: Token, kernel: KernelDep, _: Anyone) -> HTMLResponse:
    """The page's button, or a mail client's one-click `List-Unsubscribe-Post` (RFC 8058).
    Idempotent."""
    address, scope = unsubscribing.read(kernel.deps(NotificationDeps), token)
    async with kernel.uow() as uow:
        await unsubscribing.suppress(
            uow, address=address, scope=scope, reason="unsubscribed", now=kernel.clock.now()
        )
        await uow.commit()
    body = (
        f"<h1>You are unsubscribed</h1><p>No more {escape(scope)} messages go to "
        f"<strong>{escape(address)}</strong>. Messages about your orders and account still do.</p>"
    )
    return HTMLResponse(_PAGE.format(title="Unsubscribed", body=body))


@router.post(
    "/webhooks/ses/{key}", response_model=dict[str, int], responses=problems(WebhookRejected)
)
async def ses_webhook(key: str, request: Request, kernel: KernelDep, _: Anyone) -> dict[str, int]:
    """Amazon SES's delivery events through an SNS HTTPS subscription (delivered, bounced,
    complained); the subscription's confirmation is followed."""
    deps = kernel.deps(NotificationDeps)
    if not hmac.compare_digest(key.encode(), signing.webhook_key(deps.secret, "ses").encode()):
        raise WebhookRejected()
    try:
        message = parse_sns(await request.body())
    except InvalidSnsMessage as exc:
        raise WebhookRejected(detail=str(exc)) from None
    if kernel.settings.ses_verify_sns_signature and not await verify_sns_signature(
        message.envelope, _fetch
    ):
        raise WebhookRejected(detail="the SNS signature does not verify")
    if message.needs_confirmation and message.subscribe_url:
        async with httpx.AsyncClient(timeout=10) as client:
            await client.get(message.subscribe_url)
        return {"applied": 0}
    return {"applied": await _apply(kernel, "ses", message.reports)}


@router.post("/webhooks/twilio", response_model=dict[str, int], responses=problems(WebhookRejected))
async def twilio_webhook(request: Request, kernel: KernelDep, _: Anyone) -> dict[str, int]:
    """Twilio's status callbacks (sent, delivered, undelivered, failed), signed
    `X-Twilio-Signature` over the address Twilio was given and the form's fields."""
    token = kernel.settings.twilio_auth_token
    form = {k: str(v) for k, v in (await request.form()).items()}
    url = kernel.deps(NotificationDeps).link(request.url.path)
    if request.url.query:
        url = f"{url}?{request.url.query}"
    signature = request.headers.get("x-twilio-signature", "")
    if token is None or not verify_twilio_signature(token.get_secret_value(), url, form, signature):
        raise WebhookRejected()
    try:
        report = parse_status_callback({**dict(request.query_params), **form})
    except (KeyError, ValueError):
        return {"applied": 0}
    return {"applied": await _apply(kernel, "twilio", [report])}


@router.post("/receipts", response_model=dict[str, int], responses=problems(WebhookRejected))
async def push_receipt(body: ReceiptIn, kernel: KernelDep, _: Anyone) -> dict[str, int]:
    """The app's word that a push arrived (FCM reports no delivery to the sender): proved by
    the device's own token, which only that device and Mercato know."""
    report = DeliveryReport(provider_message_id="", status="delivered", reference=body.message_id)
    async with kernel.uow() as uow:
        found = await deliveries.receipt(
            uow, report=report, token=body.token, now=kernel.clock.now()
        )
        await uow.commit()
    if not found:
        raise WebhookRejected(detail="no push of that id went to that device")
    return {"applied": 1}


async def _apply(kernel: KernelDep, provider: str, reports: list[DeliveryReport]) -> int:
    applied = 0
    async with kernel.uow() as uow:
        for report in reports:
            applied += await deliveries.apply_report(
                uow, provider=provider, report=report, now=kernel.clock.now()
            )
        await uow.commit()
    return applied


_CERTIFICATES: dict[str, bytes] = {}
"""SNS's signing certificates by URL (a handful; verify_sns_signature checked the host)."""


async def _fetch(url: str) -> bytes:
    """An error here answers 500, so SNS delivers again later (it does not after a 4xx)."""
    if url not in _CERTIFICATES:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(url)
            response.raise_for_status()
            _CERTIFICATES[url] = response.content
    return _CERTIFICATES[url]
