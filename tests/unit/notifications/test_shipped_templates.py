"""Every wording Mercato ships, in every language it ships it in, renders for its kind's
sample on each of the kind's channels, naming no variable the kind does not have (the check
an admin's own wording passes)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from mercato.agents.notifications import rendering, templates_admin
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.kinds import KINDS, Kind

SHOP = cast(NotificationDeps, SimpleNamespace(link=lambda path: f"https://shop.example{path}"))
"""Just what the sample needs of the agent's dependencies: the store's links."""
SHIPPED = [
    (kind, locale, channel)
    for kind in KINDS.values()
    for locale in rendering.shipped_locales(kind.name)
    for channel in kind.channels
]


@pytest.mark.parametrize(
    ("kind", "locale", "channel"),
    SHIPPED,
    ids=[f"{k.name}-{locale}-{c.value}" for k, locale, c in SHIPPED],
)
def test_a_shipped_wording_renders_strictly_for_its_kinds_sample(
    kind: Kind, locale: str, channel: rendering.Channel
) -> None:
    # given a kind's shipped wording in one language and the kind's sample data
    wording = rendering.shipped_wording(kind.name, channel, locale)
    assert wording is not None
    sample = templates_admin.sample(kind, SHOP)  # what an admin's preview renders with
    # when it is rendered, unknown variables being errors
    rendered = rendering.render(
        wording,
        sample,
        channel=channel,
        frame={"store_name": "Shop", "footer": "", "locale": locale},
        strict=True,
    )
    # then it has a subject and a body
    assert rendered.subject.strip() and rendered.text.strip()


def test_the_fulfilment_kinds_are_worded_in_spanish_too() -> None:
    for name in ("shipment_shipped", "delivery_failed", "return_approved", "return_rejected"):
        assert "es" in rendering.shipped_locales(name), name
