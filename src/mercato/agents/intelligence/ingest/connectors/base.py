"""The connector interface: a source's records arrive in pages of `Fetched` (the payload as
the source sent it, and the clean-record fields derived from it), so a run stores and
cleans page by page and a failure midway keeps what came before."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from mercato.agents.intelligence.ingest.clean.records import Kind
from mercato.agents.intelligence.ingest.connectors.http import Polite


class ConnectorError(Exception):
    """The source cannot be read as configured (bad settings, refused credentials)."""


@dataclass(frozen=True)
class Fetched:
    kind: Kind
    external_id: str
    payload: Mapping[str, Any]
    """As the source sent it: what the raw record keeps and its checksum covers."""
    candidates: list[dict[str, Any]] = field(default_factory=list)
    """Clean-record fields derived from the payload (a Shopify product: one per variant)."""


@dataclass
class Context:
    """What a connector gets: the source's settings, its secret (read from Settings by the
    name the source row holds), polite HTTP, and the time."""

    settings: Mapping[str, Any]
    secret: str | None
    http: Polite
    now: datetime
    user_agent: str
    skipped: dict[str, int] = field(default_factory=dict)
    """Counts of what was deliberately not fetched (`robots`: disallowed pages)."""


class Connector(Protocol):
    def pages(self, context: Context) -> AsyncIterator[list[Fetched]]: ...


def setting(context: Context, name: str, kind: type[Any] = str) -> Any:
    """A required setting of the source, of the kind given."""
    value = context.settings.get(name)
    if not isinstance(value, kind):
        raise ConnectorError(f"the source's settings need {name!r} ({kind.__name__})")
    return value
