"""Complaint patterns: what goes wrong again and again across a product's reviews. Two
kinds: an aspect judged negative in several reviews ("delivery" in 14), and a complaining
phrase several reviews share ("stopped working" in 6), each with how many reviews and a
few examples (the clause as written)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mercato.agents.intelligence.sentiment import lexicon
from mercato.agents.intelligence.sentiment.text import clauses, words

_STOP = (
    "a an the and or of to in on at for with my it its it's this that these those is was "
    "were be been am are i me we you he she they them their our your his her so very just "
    "really after before from by as than then there here have has had do did does not no"
)
STOPWORDS = frozenset(_STOP.split())
EXAMPLES = 3


@dataclass(frozen=True)
class ReviewFacts:
    """What the patterns are found in: one review's id, text, and negative aspects."""

    review_id: str
    text: str
    negative_aspects: Sequence[str] = ()


@dataclass
class Pattern:
    pattern: str
    kind: str
    """"aspect" or "phrase"."""
    count: int = 0
    examples: list[dict[str, str]] = field(default_factory=list)


def complaining_phrases(text: str) -> dict[str, str]:
    """Two- and three-word phrases of the text's negative clauses that hold a negative
    word and neither start nor end with a stop word: phrase → the clause it is in."""
    found: dict[str, str] = {}
    for clause in clauses(text):
        if lexicon.score(clause).compound > -lexicon.NEUTRAL_BAND:
            continue
        tokens = words(clause)
        negative = {t for t in tokens if _valence(t) < 0}
        for n in (2, 3):
            for i in range(len(tokens) - n + 1):
                gram = tokens[i : i + n]
                if gram[0] in STOPWORDS or gram[-1] in STOPWORDS:
                    continue
                if negative.intersection(gram):
                    found.setdefault(" ".join(gram), clause)
    return found


def _valence(word: str) -> float:
    return float(lexicon.analyzer().lexicon.get(word, 0.0))


def patterns(
    reviews: Sequence[ReviewFacts], *, min_count: int = 2, limit: int = 20
) -> list[Pattern]:
    """The patterns at least `min_count` reviews share, most frequent first (ties: aspects
    first, then alphabetical). A phrase counted in exactly the reviews of a longer phrase
    holding it is left out (the longer one says more)."""
    found: dict[tuple[str, str], Pattern] = {}
    seen: dict[tuple[str, str], set[str]] = {}
    for review in reviews:
        for aspect in dict.fromkeys(review.negative_aspects):
            _note(found, seen, ("aspect", aspect), review.review_id, _clause_naming(review, aspect))
        for phrase, clause in complaining_phrases(review.text).items():
            _note(found, seen, ("phrase", phrase), review.review_id, clause)
    kept = {k: p for k, p in found.items() if p.count >= min_count}
    for kind, phrase in list(kept):
        if kind == "phrase" and any(
            k2 == "phrase" and phrase != longer and f" {phrase} " in f" {longer} "
            and seen[(k2, longer)] == seen[(kind, phrase)]
            for (k2, longer) in kept
        ):  # fmt: skip
            del kept[(kind, phrase)]
    ordered = sorted(kept.values(), key=lambda p: (-p.count, p.kind != "aspect", p.pattern))
    return ordered[:limit]


def _note(
    found: dict[tuple[str, str], Pattern],
    seen: dict[tuple[str, str], set[str]],
    key: tuple[str, str],
    review_id: str,
    clause: str,
) -> None:
    ids = seen.setdefault(key, set())
    if review_id in ids:
        return
    ids.add(review_id)
    pattern = found.setdefault(key, Pattern(pattern=key[1], kind=key[0]))
    pattern.count += 1
    if len(pattern.examples) < EXAMPLES:
        pattern.examples.append({"review_id": review_id, "text": clause[:200]})


def _clause_naming(review: ReviewFacts, aspect: str) -> str:
    from mercato.agents.intelligence.sentiment.aspects import mentioned

    return next((c for c in clauses(review.text) if aspect in mentioned(c)), review.text[:200])
