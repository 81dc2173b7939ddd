"""Topic clusters of a product's reviews: k-means over their MiniLM vectors (or, for reviews
analysed without embeddings, over word counts), each cluster labelled by the words most
particular to it. Seeded, so the same reviews give the same topics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mercato.agents.intelligence.sentiment.complaints import STOPWORDS
from mercato.agents.intelligence.sentiment.text import words

Array = np.ndarray[Any, Any]
_GENERIC = (
    "one two three first second time times every about bought buy buying product item "
    "would could should will can get got also even still well much many like just only "
    "some any all more most other which what when where who how why into out over up down "
    "off again once since while because though if but nothing something thing things "
    "don't didn't doesn't isn't wasn't it's i'm i've i'd you're can't won't now yet way "
    "make made use used using day days week weeks month months year years"
)
GENERIC = STOPWORDS | frozenset(_GENERIC.split())
"""Words too common in reviews to tell one topic from another."""
MAX_TOPICS = 6
PER_TOPIC = 5
"""About this many reviews a topic: k = clip(n // PER_TOPIC, 1, MAX_TOPICS)."""


@dataclass(frozen=True)
class Topic:
    label: str
    keywords: list[str]
    count: int
    mean_polarity: float
    review_ids: list[str]
    """Up to three of its reviews, nearest the centre first."""


def kmeans(vectors: Array, k: int, *, seed: int = 0, rounds: int = 50) -> Array:
    """Each row's cluster (k-means++ start, Lloyd's iterations)."""
    rng = np.random.default_rng(seed)
    n = len(vectors)
    centres = [vectors[int(rng.integers(n))]]
    for _ in range(1, k):
        d = np.min([((vectors - c) ** 2).sum(axis=1) for c in centres], axis=0)
        total = d.sum()
        centres.append(vectors[int(rng.choice(n, p=d / total))] if total > 0 else vectors[0])
    c = np.asarray(centres)
    assign = np.zeros(n, dtype=int)
    for _ in range(rounds):
        distances = ((vectors[:, None, :] - c[None, :, :]) ** 2).sum(axis=2)
        new = distances.argmin(axis=1)
        if _ > 0 and (new == assign).all():
            break
        assign = new
        for j in range(k):
            if (assign == j).any():
                c[j] = vectors[assign == j].mean(axis=0)
    return assign


def _bag_of_words(texts: Sequence[str]) -> Array:
    vocabulary = sorted({w for t in texts for w in words(t) if w not in GENERIC})
    index = {w: i for i, w in enumerate(vocabulary)}
    m = np.zeros((len(texts), max(len(vocabulary), 1)))
    for row, text in enumerate(texts):
        for w in words(text):
            if w in index:
                m[row, index[w]] += 1
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    out: Array = m / np.clip(norms, 1e-9, None)
    return out


def clusters(
    review_ids: Sequence[str],
    texts: Sequence[str],
    polarities: Sequence[float],
    vectors: Array | None,
    *,
    seed: int = 0,
) -> list[Topic]:
    """The reviews' topics, largest first. `vectors`: their embeddings, or None."""
    n = len(texts)
    if n == 0:
        return []
    x = vectors if vectors is not None else _bag_of_words(texts)
    k = int(np.clip(n // PER_TOPIC, 1, MAX_TOPICS))
    assign = kmeans(x, k, seed=seed)
    overall = Counter(w for t in texts for w in set(words(t)) if w not in GENERIC)
    topics = []
    for j in range(k):
        members = [i for i in range(n) if assign[i] == j]
        if not members:
            continue
        inside = Counter(w for i in members for w in set(words(texts[i])) if w not in GENERIC)
        shared = 2 if len(members) > 1 and any(n > 1 for n in inside.values()) else 1
        particular = sorted(
            (w for w in inside if len(w) > 2 and inside[w] >= shared),
            key=lambda w: (-(inside[w] / len(members)) * np.log(1 + n / overall[w]), w),
        )[:3]
        centre = x[members].mean(axis=0)
        nearest = sorted(members, key=lambda i: float(((x[i] - centre) ** 2).sum()))
        topics.append(
            Topic(
                label=" / ".join(particular) or "other",
                keywords=particular,
                count=len(members),
                mean_polarity=round(float(np.mean([polarities[i] for i in members])), 4),
                review_ids=[review_ids[i] for i in nearest[:3]],
            )
        )
    return sorted(topics, key=lambda t: (-t.count, t.label))
