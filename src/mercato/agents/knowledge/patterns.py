"""Test-data patterns: what a good generation looked like, for the knowledge query.

A generation whose ordinary records all passed every applicable rule (coherence 1.0) is
remembered per (entity, workflow, scenario): how many records, how often it worked, and one
example record. The query searches them beside the catalog (category `test_data_pattern`), so
"a high-value international order" finds the scenario that makes one and what it looks like.
The rows are the truth (every process reads them); each process keeps a copy for its
synchronous index, refreshed after `REFRESH_SECONDS` or when it remembers a pattern itself.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from mercato.agents.knowledge.models import TestDataPattern
from mercato.agents.knowledge.testdata import GenerationRequest, GenerationResult
from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.knowledge")
REFRESH_SECONDS = 30.0
EXAMPLE_CHARS = 600


@dataclass(frozen=True)
class Pattern:
    id: str
    entity: str
    workflow: str | None
    scenario: str
    records: int
    generations: int
    example: dict[str, Any]

    @property
    def text(self) -> str:
        where = f" in the {self.workflow.replace('_', ' ')} workflow" if self.workflow else ""
        example = json.dumps(self.example, sort_keys=True, default=str)[:EXAMPLE_CHARS]
        return (
            f"Test data pattern: {self.scenario.replace('_', ' ')} {self.entity} records"
            f"{where}, generated {self.generations} times with every record passing the "
            f"business rules ({self.records} records last time). "
            f"Generate with scenario {self.scenario}. Example record: {example}"
        )


class _Known:
    """This process's copy of the pattern rows."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._patterns: dict[str, Pattern] = {}
        self._read_at = 0.0

    def all(self) -> list[Pattern]:
        with self._lock:
            return sorted(self._patterns.values(), key=lambda p: p.id)

    def replace(self, patterns: list[Pattern]) -> None:
        with self._lock:
            self._patterns = {p.id: p for p in patterns}
            self._read_at = time.monotonic()

    def put(self, pattern: Pattern) -> None:
        with self._lock:
            self._patterns[pattern.id] = pattern

    def stale(self) -> bool:
        return time.monotonic() - self._read_at > REFRESH_SECONDS


KNOWN = _Known()


def known() -> list[Pattern]:
    return KNOWN.all()


async def refresh(kernel: Kernel, *, force: bool = False) -> None:
    """Read the rows again when this process's copy is older than `REFRESH_SECONDS`."""
    if not (force or KNOWN.stale()):
        return
    async with kernel.uow(writes=False) as uow:
        rows = (await uow.session.scalars(select(TestDataPattern))).all()
    KNOWN.replace([_pattern(row) for row in rows])


async def remember(kernel: Kernel, request: GenerationRequest, result: GenerationResult) -> None:
    """Keep the scenarios of a generation whose ordinary records all passed every rule.
    Best effort: the data is already made, and a database that cannot take the pattern now
    must not turn a good answer into an error (it is logged)."""
    if result.coherence_score < 1.0 or not result.records:
        return
    examples = _example_per_scenario(result.records)
    counts = {s: n for s, n in sorted(result.scenario_counts.items()) if n and s in examples}
    if not counts:
        return
    try:
        remembered = await _upsert(kernel, request, counts, examples)
    except Exception as exc:  # a busy or unreachable database
        log.warning("test_data_pattern_not_kept", error=repr(exc))
        return
    for pattern in remembered:
        KNOWN.put(pattern)


def _example_per_scenario(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.get("edge_case"):
            continue
        scenario = str(record.get("scenario") or "happy_path")
        found.setdefault(scenario, record)
    return found


async def _upsert(
    kernel: Kernel,
    request: GenerationRequest,
    counts: dict[str, int],
    examples: dict[str, dict[str, Any]],
) -> list[Pattern]:
    """One transaction for the generation's scenarios; `generations` counts up in SQL, so
    processes remembering the same pattern at once lose no generation."""
    keys = {s: f"{request.entity}:{request.workflow or '-'}:{s}" for s in counts}
    for attempt in range(2):  # a concurrent first insert of the same pattern: update it then
        async with kernel.uow() as uow:
            for scenario, count in counts.items():
                example = json.loads(json.dumps(examples[scenario], default=str))
                values = {"records": count, "coherence": 1.0, "example": example}
                changed = await uow.session.execute(
                    update(TestDataPattern)
                    .where(TestDataPattern.id == keys[scenario])
                    .values(
                        **values,
                        generations=TestDataPattern.generations + 1,
                        updated_at=kernel.clock.now(),
                    )
                )
                if changed.rowcount == 0:  # type: ignore[attr-defined]
                    uow.session.add(
                        TestDataPattern(
                            id=keys[scenario],
                            entity=request.entity,
                            workflow=request.workflow,
                            scenario=scenario,
                            generations=1,
                            updated_at=kernel.clock.now(),
                            **values,
                        )
                    )
            try:
                await uow.commit()
            except IntegrityError:
                if attempt:
                    raise
                continue
        async with kernel.uow(writes=False) as uow:
            rows = await uow.session.scalars(
                select(TestDataPattern).where(TestDataPattern.id.in_(keys.values()))
            )
            return [_pattern(row) for row in rows]
    raise AssertionError("unreachable")  # pragma: no cover


def _pattern(row: TestDataPattern) -> Pattern:
    return Pattern(
        id=row.id,
        entity=row.entity,
        workflow=row.workflow,
        scenario=row.scenario,
        records=row.records,
        generations=row.generations,
        example=dict(row.example),
    )
