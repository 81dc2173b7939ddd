"""The carriers a store ships with: those with an API (configured in settings: the local
courier, EasyPost) and its table carriers (each carrier code of its rate tables), with the
store's choices about them (a carrier or some of its services off)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select

from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.models import CarrierSetting, RateTable
from mercato.agents.shipping.problems import UnknownCarrier
from mercato.kernel.db import UnitOfWork

API_SERVICES = {
    "local": (("economy", "Economy"), ("standard", "Standard"), ("express", "Express")),
}
"""What an API carrier's services are called, where they are known before it quotes
(EasyPost's depend on the carriers behind it: they show up in its quotes)."""


@dataclass(frozen=True)
class CarrierView:
    code: str
    name: str
    kind: Literal["api", "table"]
    enabled: bool
    services: list[tuple[str, str, bool]]
    """(code, name, enabled)"""


async def carriers(uow: UnitOfWork, deps: ShippingDeps) -> list[CarrierView]:
    settings = {row.code: row for row in await uow.session.scalars(select(CarrierSetting))}
    tables = await uow.session.execute(
        select(RateTable.carrier, RateTable.carrier_name, RateTable.service, RateTable.service_name)
        .distinct()
        .order_by(RateTable.carrier, RateTable.service)
    )
    table_services: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for code, name, service, service_name in tables:
        table_services.setdefault(code, (name, []))[1].append((service, service_name))
    found = []
    for code, carrier in deps.carriers.items():
        known = list(API_SERVICES.get(code, ())) + table_services.pop(code, ("", []))[1]
        found.append(_view(code, carrier.name, "api", dict.fromkeys(known), settings.get(code)))
    for code, (name, services) in table_services.items():
        found.append(_view(code, name, "table", dict.fromkeys(services), settings.get(code)))
    return found


def _view(
    code: str,
    name: str,
    kind: Literal["api", "table"],
    services: dict[tuple[str, str], None],
    setting: CarrierSetting | None,
) -> CarrierView:
    off = set(setting.disabled_services) if setting else set()
    return CarrierView(
        code=code,
        name=name,
        kind=kind,
        enabled=setting.enabled if setting else True,
        services=[(service, label, service not in off) for service, label in services],
    )


async def change(
    uow: UnitOfWork,
    deps: ShippingDeps,
    *,
    code: str,
    enabled: bool | None,
    disabled_services: Sequence[str] | None,
    now: datetime,
) -> CarrierView:
    every = {c.code: c for c in await carriers(uow, deps)}
    if code not in every:
        raise UnknownCarrier(f"no carrier {code!r} (see GET /v1/shipping/carriers)")
    row = await uow.session.scalar(select(CarrierSetting).where(CarrierSetting.code == code))
    if row is None:
        row = CarrierSetting(code=code, enabled=True, disabled_services=[], updated_at=now)
        uow.session.add(row)
    if enabled is not None:
        row.enabled = enabled
    if disabled_services is not None:
        row.disabled_services = sorted(set(disabled_services))
    row.updated_at = now
    await uow.session.flush()
    return next(c for c in await carriers(uow, deps) if c.code == code)
