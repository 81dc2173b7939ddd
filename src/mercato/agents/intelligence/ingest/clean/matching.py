"""Product matching across sources (seed 001, property 10): an outside record (a
competitor's offer, a marketplace's product) to one of the store's products.

Identifiers first, each with a fixed confidence: the same GTIN (normalised to GTIN-14 with
its check digit) 0.99; the same MPN of the same brand 0.95; the same normalised SKU 0.90.
Otherwise title and attributes: the similarity of the titles (the mean of MiniLM's cosine
and word overlap; word overlap alone when the model is unavailable), times 0.9 (titles never
weigh as much as an identifier), times 0.5 when both brands are known and differ,
times 0.7 when both titles hold numbers (sizes: `1.7 l`, `28 cm`) and they differ, and
times 0.3 when both GTINs are known and differ. A match less confident than the threshold
(`intel_match_threshold`) waits for review; below `PROPOSE_FROM` none is proposed."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mercato.agents.intelligence.ingest.clean.identifiers import mpn_key, normalize_gtin
from mercato.agents.intelligence.ingest.statuses import MatchStatus

PROPOSE_FROM = 0.5
IDENTIFIER_CONFIDENCE = {"gtin": 0.99, "mpn_brand": 0.95, "sku": 0.90}
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"\d+")
Similarity = Callable[[str, Sequence[str]], list[float]]
"""Cosine similarity of a title to each of the titles given, in [-1, 1]."""


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    gtin: str | None = None
    mpn: str | None = None
    brand: str | None = None
    sku: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        parts = [self.brand or "", self.title, *sorted(self.attributes.values())]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Found:
    product_id: str
    method: str
    confidence: float


def words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(ascii_text)


def word_similarity(a: str, b: str) -> float:
    """Token-set overlap and the order-free sequence ratio, averaged: 0…1."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    sa, sb = set(wa), set(wb)
    jaccard = len(sa & sb) / len(sa | sb)
    ratio = difflib.SequenceMatcher(None, " ".join(sorted(sa)), " ".join(sorted(sb))).ratio()
    return (jaccard + ratio) / 2


def status_for(confidence: float, threshold: float) -> MatchStatus:
    """`accepted` when confident enough, else `pending` (flagged for review)."""
    return MatchStatus.ACCEPTED if confidence >= threshold else MatchStatus.PENDING


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a == b


def _identifier_match(item: Item, catalogue: Sequence[Item]) -> Found | None:
    gtin = normalize_gtin(item.gtin)
    mpn = mpn_key(item.mpn, item.brand)
    for method, mine, theirs in (
        ("gtin", gtin, lambda c: normalize_gtin(c.gtin)),
        ("mpn_brand", mpn, lambda c: mpn_key(c.mpn, c.brand)),
        ("sku", item.sku, lambda c: c.sku),
    ):
        if mine is None:
            continue
        for candidate in catalogue:
            if _same(mine, theirs(candidate)):
                return Found(candidate.id, method, IDENTIFIER_CONFIDENCE[method])
    return None


def title_confidence(item: Item, candidate: Item, cosine: float | None) -> float:
    lexical = word_similarity(item.text, candidate.text)
    score = lexical if cosine is None else (clamp(cosine) + lexical) / 2
    confidence = score * 0.9
    if item.brand and candidate.brand and words(item.brand) != words(candidate.brand):
        confidence *= 0.5
    sizes = [set(_NUMBER.findall(i.text)) for i in (item, candidate)]
    if sizes[0] and sizes[1] and sizes[0] != sizes[1]:
        confidence *= 0.7  # another size or capacity of the same line is another product
    gtins = normalize_gtin(item.gtin), normalize_gtin(candidate.gtin)
    if None not in gtins and gtins[0] != gtins[1]:
        confidence *= 0.3
    return clamp(confidence)


def best_match(
    item: Item, catalogue: Sequence[Item], *, similarity: Similarity | None = None
) -> Found | None:
    """The catalogue's product `item` most likely is, or None when nothing is close."""
    if not catalogue:
        return None
    found = _identifier_match(item, catalogue)
    if found is not None:
        return found
    cosines: list[float | None] = (
        list(similarity(item.text, [c.text for c in catalogue]))
        if similarity is not None
        else [None] * len(catalogue)
    )
    scored = [
        (title_confidence(item, c, cos), c.id) for c, cos in zip(catalogue, cosines, strict=True)
    ]
    confidence, product_id = max(scored)
    if confidence < PROPOSE_FROM:
        return None
    return Found(product_id, "title", round(confidence, 4))


def embedding_similarity(catalogue: Sequence[Item]) -> Similarity | None:
    """Cosine similarity with the MiniLM model Mercato ships, the catalogue embedded once;
    None when the model cannot be loaded (matching then uses words alone)."""
    from mercato.kernel.embeddings import encoder

    model = encoder("matching")
    if model is None:
        return None
    texts = [c.text for c in catalogue]
    vectors = model.embed(texts) if texts else None
    index = {text: i for i, text in enumerate(texts)}

    def similarity(text: str, others: Sequence[str]) -> list[float]:
        if vectors is None:
            return [0.0] * len(others)
        mine = model.embed([text])[0]
        row: Any = vectors @ mine
        return [float(row[index[o]]) for o in others]

    return similarity
