"""One-click unsubscribe (RFC 8058): a signed link per address and scope. Opening it shows
a page with one button (mail scanners open links, so GET changes nothing); the button, or a
mail client's `List-Unsubscribe-Post`, records the suppression."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from mercato.agents.notifications import signing
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.models import Suppression
from mercato.kernel.context import current_tenant
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.errors import Problem


class InvalidUnsubscribeLink(Problem):
    status, code, title = 400, "invalid_unsubscribe_link", "The unsubscribe link is not valid"


def token(deps: NotificationDeps, *, address: str, scope: str) -> str:
    return signing.sign(deps.secret, f"{current_tenant()}\n{address.lower()}\n{scope}")


def link(deps: NotificationDeps, *, address: str, scope: str) -> str:
    return deps.link(
        f"/v1/notifications/unsubscribe?token={quote(token(deps, address=address, scope=scope))}"
    )


def read(deps: NotificationDeps, raw: str) -> tuple[str, str]:
    """The (address, scope) a link of this store was made for; `InvalidUnsubscribeLink`
    for a forged one or another store's."""
    payload = signing.unsign(deps.secret, raw)
    if payload is None or payload.count("\n") != 2:
        raise InvalidUnsubscribeLink()
    tenant, address, scope = payload.split("\n")
    if tenant != current_tenant():
        raise InvalidUnsubscribeLink()
    return address, scope


async def suppress(
    uow: UnitOfWork, *, address: str, scope: str, reason: str, now: datetime
) -> None:
    """Stop writing to `address` for `scope` (`marketing`, a kind, or `*`). Idempotent."""
    statement = (
        upsert_insert(uow.session)(Suppression)
        .values(
            tenant_id=current_tenant(),
            address=address.lower(),
            scope=scope,
            reason=reason,
            created_at=now,
        )
        .on_conflict_do_nothing()
    )
    await uow.session.execute(statement)
