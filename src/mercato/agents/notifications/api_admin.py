"""Staff's view of notifications: the delivery log, the local providers' SMS and push logs,
and the templates (admins edit them per store, preview them with sample data)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from mercato.agents.notifications import deliveries, templates_admin
from mercato.agents.notifications.access import MANAGE, READ
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.kinds import KINDS
from mercato.agents.notifications.problems import (
    KindNotFound,
    MessageNotFound,
    NotRetryable,
    TemplateNotFound,
)
from mercato.agents.notifications.providers.local_log import read_log
from mercato.agents.notifications.rendering import TemplateInvalid, Wording
from mercato.agents.notifications.schemas import (
    ChannelName,
    KindOut,
    KindsOut,
    LocalLogOut,
    MessageDetailOut,
    MessageOut,
    MessagesPageOut,
    PreviewOut,
    StatusName,
    StepOut,
    WordingIn,
    WordingOut,
)
from mercato.agents.notifications.signing import webhook_key
from mercato.agents.notifications.statuses import Channel
from mercato.kernel.auth import Principal, require
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/notifications", tags=["notifications"])
Staff = Annotated[Principal, Depends(require(READ))]
Admin = Annotated[Principal, Depends(require(MANAGE))]
Kind = Annotated[str, Path(max_length=40)]
Locale = Annotated[str, Query(pattern=r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")]


def message_out(row: Any) -> MessageOut:
    return MessageOut.model_validate(row, from_attributes=True)


@router.get("/messages", response_model=MessagesPageOut, responses=problems(InvalidCursor))
async def list_messages(
    kernel: KernelDep,
    _: Staff,
    channel: ChannelName | None = None,
    status: StatusName | None = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    recipient: Annotated[str | None, Query(max_length=512)] = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MessagesPageOut:
    """The delivery log, newest first: every message, its status and the provider's id."""
    filters = deliveries.MessageFilters(channel, status, kind, recipient)
    async with kernel.uow(writes=False) as uow:
        page = await deliveries.messages(uow, filters=filters, cursor=cursor, limit=limit)
    return MessagesPageOut(items=[message_out(r) for r in page.items], next_cursor=page.next_cursor)


@router.get(
    "/messages/{message_id}", response_model=MessageDetailOut, responses=problems(MessageNotFound)
)
async def get_message(message_id: str, kernel: KernelDep, _: Staff) -> MessageDetailOut:
    """One message as sent, and each status it went through."""
    async with kernel.uow(writes=False) as uow:
        row, steps = await deliveries.message(uow, message_id=message_id)
    return MessageDetailOut(
        **message_out(row).model_dump(),
        body_text=row.body_text,
        body_html=row.body_html,
        locale=row.locale,
        steps=[StepOut(status=s.status, detail=s.detail, at=s.at) for s in steps],
    )


@router.post(
    "/messages/{message_id}/retry",
    response_model=MessageOut,
    responses=problems(MessageNotFound, NotRetryable),
)
async def retry_message(message_id: str, kernel: KernelDep, _: Admin) -> MessageOut:
    """Queue a failed or bounced message again (not one that held a one-time link)."""
    async with kernel.uow() as uow:
        row = await deliveries.retry(uow, message_id=message_id, now=kernel.clock.now())
        out = message_out(row)
        await uow.commit()
    return out


@router.get("/local/{channel}", response_model=LocalLogOut)
async def local_log(
    channel: Annotated[str, Path(pattern="^(sms|push)$")],
    kernel: KernelDep,
    _: Staff,
    after: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> LocalLogOut:
    """What the local SMS or push provider 'sent' (embedded mode): newest first."""
    path = kernel.settings.data_dir / "notifications" / f"{channel}.jsonl"
    items = read_log(path, limit + 1, after)
    more = len(items) > limit
    items = items[:limit]
    return LocalLogOut(items=items, next_cursor=str(items[-1]["reference"]) if more else None)


@router.get("/webhooks", response_model=dict[str, str])
async def webhook_addresses(kernel: KernelDep, _: Admin) -> dict[str, str]:
    """The addresses to give the providers for their delivery reports (SES's holds a key
    only this deployment knows: subscribe it to the SNS topic of the configuration set)."""
    deps = kernel.deps(NotificationDeps)
    return {
        "ses": deps.link(f"/v1/notifications/webhooks/ses/{webhook_key(deps.secret, 'ses')}"),
        "twilio": deps.link("/v1/notifications/webhooks/twilio"),
        "push_receipts": deps.link("/v1/notifications/receipts"),
    }


@router.get("/templates", response_model=KindsOut)
async def list_templates(kernel: KernelDep, _: Admin) -> KindsOut:
    """Every kind of message, its channels, shipped locales and the store's rewrites."""
    async with kernel.uow(writes=False) as uow:
        found = await templates_admin.kinds(uow)
    return KindsOut(
        items=[
            KindOut(
                name=k.kind.name,
                purpose=k.kind.purpose.value,
                description=k.kind.description,
                channels=[c.value for c in k.kind.channels],
                locales=k.locales,
                overrides=k.overrides,
            )
            for k in found
        ],
        next_cursor=None,
    )


@router.get("/templates/{kind}", response_model=WordingOut, responses=problems(KindNotFound))
async def get_template(
    kind: Kind, kernel: KernelDep, _: Admin, channel: ChannelName = "email", locale: Locale = "en"
) -> WordingOut:
    """The wording the store sends for the kind (its own, or the shipped one)."""
    deps = kernel.deps(NotificationDeps)
    async with kernel.uow(writes=False) as uow:
        found = await templates_admin.current(uow, deps, kind, Channel(channel), locale)
    return _wording_out(deps, kind, channel, found)


@router.put(
    "/templates/{kind}",
    response_model=WordingOut,
    responses=problems(KindNotFound, TemplateInvalid),
)
async def put_template(kind: Kind, body: WordingIn, kernel: KernelDep, who: Admin) -> WordingOut:
    """The store's own wording of one channel in one locale; checked by rendering it with
    the kind's sample data (an unknown variable or a syntax error is a 422)."""
    deps = kernel.deps(NotificationDeps)
    async with kernel.uow() as uow:
        saved = await templates_admin.save(
            uow,
            deps,
            name=kind,
            channel=Channel(body.channel),
            locale=body.locale,
            text=Wording(body.subject, body.text, body.html),
            by=who.id,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return _wording_out(deps, kind, body.channel, saved)


@router.delete(
    "/templates/{kind}", status_code=204, responses=problems(KindNotFound, TemplateNotFound)
)
async def reset_template(
    kind: Kind, kernel: KernelDep, _: Admin, channel: ChannelName = "email", locale: Locale = "en"
) -> None:
    """Back to the shipped wording."""
    async with kernel.uow() as uow:
        await templates_admin.reset(uow, name=kind, channel=Channel(channel), locale=locale)
        await uow.commit()


@router.get(
    "/templates/{kind}/preview",
    response_model=PreviewOut,
    responses=problems(KindNotFound, TemplateInvalid),
)
async def preview_template(
    kind: Kind, kernel: KernelDep, _: Admin, channel: ChannelName = "email", locale: Locale = "en"
) -> PreviewOut:
    """The kind as the store sends it now, filled with sample data."""
    return await _preview(kernel, kind, channel, locale, None)


@router.post(
    "/templates/{kind}/preview",
    response_model=PreviewOut,
    responses=problems(KindNotFound, TemplateInvalid),
)
async def preview_draft(kind: Kind, body: WordingIn, kernel: KernelDep, _: Admin) -> PreviewOut:
    """A draft (not saved) filled with sample data: what the editor shows as you type."""
    draft = Wording(body.subject, body.text, body.html)
    return await _preview(kernel, kind, body.channel, body.locale, draft)


async def _preview(
    kernel: KernelDep, kind: str, channel: ChannelName, locale: str, draft: Wording | None
) -> PreviewOut:
    deps = kernel.deps(NotificationDeps)
    async with kernel.uow(writes=False) as uow:
        out, used = await templates_admin.preview(
            uow, deps, name=kind, channel=Channel(channel), locale=locale, draft=draft
        )
    return PreviewOut(
        kind=kind, channel=channel, locale=used, subject=out.subject, text=out.text, html=out.html
    )


def _wording_out(
    deps: NotificationDeps, kind: str, channel: str, found: templates_admin.StoreWording
) -> WordingOut:
    return WordingOut(
        kind=kind,
        channel=channel,
        locale=found.locale,
        subject=found.wording.subject,
        text=found.wording.text,
        html=found.wording.html,
        source=found.source,
        variables=templates_admin.sample(KINDS[kind], deps),
    )
