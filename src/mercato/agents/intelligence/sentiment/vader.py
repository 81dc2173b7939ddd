"""VADER with the project's additions (`assets/lexicon.json`: commerce words and phrases, emoji
read as words, sellers' claims), loaded once per process (~15 ms) on first use."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
        SentimentIntensityAnalyzer,
    )

DATA = Path(__file__).parent / "assets"


@cache
def additions() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / "lexicon.json").read_text())
    return loaded


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    vader.lexicon.update(additions()["words"])
    vader.emojis.update(additions()["emoji"])
    return vader


@cache
def vocabulary() -> frozenset[str]:
    """Every word the lexicon scores."""
    return frozenset(analyzer().lexicon)


@cache
def claims() -> frozenset[str]:
    """What sellers claim of a product ("premium", "waterproof"): in scare quotes, doubted."""
    return frozenset(additions()["claims"])
