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

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mercato.agents.knowledge.models import TestDataPattern
from mercato.agents.knowledge.testdata import GenerationRequest, GenerationResult
from mercato.kernel.bootstrap import Kernel

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
    """Keep the scenarios of a generation whose ordinary records all passed every rule."""
    if result.coherence_score < 1.0 or not result.records:
        return
    examples = _example_per_scenario(result.records)
    for scenario, count in sorted(result.scenario_counts.items()):
        if count and scenario in examples:
            KNOWN.put(await _upsert(kernel, request, scenario, count, examples[scenario]))


def _example_per_scenario(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.get("edge_case"):
            continue
        scenario = str(record.get("scenario") or "happy_path")
        found.setdefault(scenario, record)
    return found


async def _upsert(
    kernel: Kernel, request: GenerationRequest, scenario: str, count: int, example: dict[str, Any]
) -> Pattern:
    key = f"{request.entity}:{request.workflow or '-'}:{scenario}"
    example = json.loads(json.dumps(example, default=str))
    for attempt in range(2):  # a concurrent first insert of the same pattern: update it then
        async with kernel.uow() as uow:
            row = await uow.session.get(TestDataPattern, key)
            if row is None:
                row = TestDataPattern(id=key, entity=request.entity, scenario=scenario)
                row.workflow, row.generations = request.workflow, 0
                uow.session.add(row)
            row.records, row.coherence, row.example = count, 1.0, example
            row.generations += 1
            row.updated_at = kernel.clock.now()
            try:
                await uow.commit()
            except IntegrityError:
                if attempt:
                    raise
                continue
            return _pattern(row)
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
