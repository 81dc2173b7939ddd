"""A store's templates as admins see and change them: the shipped wording, the store's own
(checked against the kind's sample data before it is kept), and a preview of either."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from mercato.agents.notifications import rendering
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.kinds import KINDS, Kind
from mercato.agents.notifications.models import TemplateOverride
from mercato.agents.notifications.problems import KindNotFound, TemplateNotFound
from mercato.agents.notifications.queueing import frame, store, wording
from mercato.agents.notifications.statuses import Channel
from mercato.kernel.db import UnitOfWork

SAMPLE_LINKS = {
    "order": "/account/orders/sample",
    "cart": "/cart",
    "unsubscribe": "/v1/notifications/unsubscribe?token=sample",
    "inventory": "/admin/inventory",
    "ticket": "/account/tickets/sample",
}


@dataclass(frozen=True)
class KindSummary:
    kind: Kind
    locales: list[str]
    overrides: list[str]


@dataclass(frozen=True)
class StoreWording:
    wording: rendering.Wording
    locale: str
    source: str


def kind_of(name: str, channel: Channel | None = None) -> Kind:
    kind = KINDS.get(name)
    if kind is None or (channel is not None and channel not in kind.channels):
        raise KindNotFound()
    return kind


def sample(kind: Kind, deps: NotificationDeps) -> dict[str, Any]:
    """The kind's sample data, with every link a wording may name (the store's, and the
    kind's own: a return's page, its label)."""
    links = {k: deps.link(v) for k, v in SAMPLE_LINKS.items()}
    return {**kind.sample, "links": {**links, **kind.sample.get("links", {})}, "name": "Ana Lima"}


async def kinds(uow: UnitOfWork) -> list[KindSummary]:
    own = list(await uow.session.scalars(select(TemplateOverride)))
    return [
        KindSummary(
            kind,
            rendering.shipped_locales(kind.name),
            sorted(f"{o.channel}/{o.locale}" for o in own if o.kind == kind.name),
        )
        for kind in KINDS.values()
    ]


async def current(
    uow: UnitOfWork, deps: NotificationDeps, name: str, channel: Channel, locale: str
) -> StoreWording:
    kind_of(name, channel)
    own = await uow.session.get(TemplateOverride, (store(), name, channel, locale))
    if own is not None:
        return StoreWording(rendering.Wording(own.subject, own.text, own.html), locale, "store")
    found, used = await wording(
        uow, name, channel, locale, deps.settings.notifications_default_locale
    )
    return StoreWording(found, used, "shipped")


async def save(
    uow: UnitOfWork,
    deps: NotificationDeps,
    *,
    name: str,
    channel: Channel,
    locale: str,
    text: rendering.Wording,
    by: str,
    now: datetime,
) -> StoreWording:
    kind = kind_of(name, channel)
    rendering.check(text, sample(kind, deps), channel=channel)
    row = await uow.session.get(TemplateOverride, (store(), name, channel, locale))
    if row is None:
        row = TemplateOverride(
            tenant_id=store(),
            kind=name,
            channel=channel,
            locale=locale,
            subject="",
            text="",
            updated_by=by,
            updated_at=now,
        )
        uow.session.add(row)
    row.subject, row.text = text.subject, text.text
    row.html = text.html if channel is Channel.EMAIL else None
    row.updated_by, row.updated_at = by, now
    return StoreWording(rendering.Wording(row.subject, row.text, row.html), locale, "store")


async def reset(uow: UnitOfWork, *, name: str, channel: Channel, locale: str) -> None:
    kind_of(name, channel)
    gone = await uow.session.execute(
        delete(TemplateOverride).where(
            TemplateOverride.kind == name,
            TemplateOverride.channel == channel,
            TemplateOverride.locale == locale,
        )
    )
    if not getattr(gone, "rowcount", 0):
        raise TemplateNotFound()


async def preview(
    uow: UnitOfWork,
    deps: NotificationDeps,
    *,
    name: str,
    channel: Channel,
    locale: str,
    draft: rendering.Wording | None = None,
) -> tuple[rendering.Rendered, str]:
    """The kind rendered with its sample data: the draft an admin is writing, or what the
    store sends now."""
    kind = kind_of(name, channel)
    if draft is not None:
        text, used = draft, locale
    else:
        text, used = await wording(
            uow, name, channel, locale, deps.settings.notifications_default_locale
        )
    context = sample(kind, deps)
    unsubscribe = context["links"]["unsubscribe"] if kind.purpose.value == "marketing" else None
    out = rendering.render(
        text,
        context,
        channel=channel,
        frame=frame(deps, used, unsubscribe=unsubscribe),
        strict=draft is not None,
    )
    return out, used
