"""The freshness per kind of data the seed asks for, and the limits' validation."""

from __future__ import annotations

import pytest

from mercato.agents.intelligence.cache import KINDS, CacheConfig, UnknownKindError


def test_each_kind_has_the_freshness_the_seed_asks_for() -> None:
    config = CacheConfig()
    assert {kind: config.freshness(kind) for kind in KINDS} == {
        "pricing": 3600,
        "competitors": 3600,
        "reviews": 86400,
        "forecasts": 43200,
        "sales": 3600,
        "llm_plan": 86400,
    }
    assert config.max_entries == 512


def test_an_unknown_kind_has_no_freshness() -> None:
    with pytest.raises(UnknownKindError):
        CacheConfig().freshness("weather")


@pytest.mark.parametrize("limits", [{"max_entries": 0}, {"pricing_seconds": -1.0}])
def test_limits_out_of_range_are_refused(limits: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        CacheConfig(**limits)  # type: ignore[arg-type]
