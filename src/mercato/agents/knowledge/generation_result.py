"""`Generation`: a test-data generation as the services answer it, whoever generated it
(Mercato's generator or an external Test Data Agent)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Generation:
    data: str
    record_count: int
    coherence_score: float
    scenario_counts: dict[str, int]
    generation_time_ms: float
    generation_path: str
    """Who generated: `mercato-generator`, `test-data-agent@host:port` (its coherence score
    is then the agent's own claim), or `mercato-generator (fallback: …why…)`."""
    domain_context_used: str
    edge_case_counts: dict[str, int] = field(default_factory=dict)
