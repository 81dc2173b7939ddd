"""What a caller asks of the generator and what it answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DEFAULT_TENANT = "default"
"""The store `Settings.default_tenant` names by default."""

DEFAULT_NOW = datetime(2026, 11, 1, tzinfo=UTC)
"""The moment generated data is "now" at, unless the request names one: fixed, so the same
seed and request give the same bytes on any day."""

MAX_COUNT = 100_000


class InvalidGenerationRequest(ValueError):  # noqa: N818  (the name callers use)
    """A request the generator cannot answer. `code` is stable snake_case (unknown_entity,
    unknown_scenario, invalid_count, invalid_scenario_counts, invalid_format, unknown_workflow,
    unknown_edge_case, edge_case_not_generatable, invalid_tenant, invalid_now,
    invalid_sql_dialect); the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class GeneratorDefectError(RuntimeError):
    """The generator made data it must not hand out: a defect in the generator, not in the
    request (an edge-case record breaking other rules than exactly the one it names). The
    message names the edge case and the rules it names and broke."""


@dataclass(frozen=True)
class GenerationRequest:
    entity: str
    """order, customer, cart, payment or product (`generatable_entities()`)."""
    count: int
    """Ordinary (non edge-case) top-level records, 1 to 100,000."""
    scenario_counts: Mapping[str, int] = field(default_factory=dict)
    """Records per scenario; their sum is at most `count`, the rest is happy_path (or the
    workflow's mix). A mapping holds a name once (the CLI adds up a repeated NAME=COUNT)."""
    scenarios: Sequence[str] = ()
    """Scenarios without counts: what `scenario_counts` leaves is spread evenly over them. A
    name counts once however often it is given (`["a", "a"]` is `["a"]`), and a name that
    also has a count in `scenario_counts` gets exactly that count, no share."""
    workflow: str | None = None
    """checkout, return_flow, cart_abandonment or inventory_sync: the mix of the records no
    scenario was asked for, and the statuses records end in."""
    include_edge_cases: bool = False
    """Add the edge-case records of every catalog edge case the entity can show."""
    edge_cases: Sequence[str] = ()
    """Edge cases (EC…) to add records of, whatever `include_edge_cases` says."""
    output_format: str = "json"
    """json, csv or sql (any case)."""
    seed: int | None = None
    """The same seed and request give byte-identical output; None draws a seed."""
    tenant_id: str = DEFAULT_TENANT
    now: datetime | None = None
    """The moment the data is generated at (an aware datetime); `DEFAULT_NOW` when None."""
    sql_dialect: str = "portable"
    """How SQL writes timestamps: `portable` (ISO with +00:00, read alike by PostgreSQL and
    SQLite), `sqlite` (exactly the text SQLAlchemy stores on SQLite) or `postgresql` (as
    portable)."""


@dataclass(frozen=True)
class GenerationResult:
    data: str
    """The output document."""
    record_count: int
    """Top-level records, edge-case ones included."""
    coherence_score: float
    """The measured share of ordinary records passing every applicable rule."""
    scenario_counts: dict[str, int]
    edge_case_counts: dict[str, int]
    """EC id → records."""
    edge_case_violations_ok: bool
    """Every edge-case record broke exactly the rule it names (none when it names none).
    Always True in a result: `generate` raises `GeneratorDefectError` instead of handing out
    a record that breaks otherwise."""
    related_counts: dict[str, int]
    """Table → rows generated (tenants, users, carts, orders, payments, …)."""
    generation_time_ms: float
    records: list[dict[str, Any]]
    """The top-level records as JSON values."""
    rules_evaluated: dict[str, int] = field(default_factory=dict)
    """Rule id → evaluations made to measure coherence (BR011 and BR013 over the batch)."""
    rule_failures: dict[str, int] = field(default_factory=dict)
    """Rule id → ordinary records that broke it (empty when coherence is 1.0)."""
    seed: int = 0
    """The seed used (the one drawn when the request named none)."""
