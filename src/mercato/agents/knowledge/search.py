"""The knowledge query: entities, workflows, rules, edge cases and the test-data patterns
generation found good, ranked by meaning for a question in plain words. An in-process index
of MiniLM embeddings (`embeddings`), built on the first query from the live catalog, each
document embedded again only when its text changes; without the model's runtime, a lexical
ranking (BM25 over the same documents) answers instead."""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mercato.agents.knowledge import entities, patterns, workflows
from mercato.agents.knowledge.context import entity_text, workflow_text
from mercato.agents.knowledge.edge_cases import EDGE_CASES
from mercato.kernel import rules
from mercato.kernel.embeddings import Encoder, encoder

CATEGORIES = ("entity", "workflow", "rule", "edge_case", "test_data_pattern")


@dataclass(frozen=True)
class Document:
    id: str
    category: str
    title: str
    content: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    document: Document
    score: float


def documents() -> list[Document]:
    """The catalog as documents to search, as it is now."""
    found: list[Document] = []
    for entity in entities.entities():
        found.append(Document(f"entity:{entity.name}", "entity", entity.name, entity_text(entity)))
    for flow in workflows.workflows():
        found.append(Document(f"workflow:{flow.name}", "workflow", flow.name, workflow_text(flow)))
    for rule in rules.registered():
        found.append(
            Document(
                rule.id,
                "rule",
                rule.name.replace("_", " "),
                f"{rule.id} {rule.name.replace('_', ' ')}: {rule.constraint}. "
                f"When {rule.condition}. Entity {rule.entity}.",
                {"entity": rule.entity, "severity": rule.severity},
            )
        )
    for case in EDGE_CASES:
        found.append(
            Document(
                case.id,
                "edge_case",
                case.name.replace("_", " "),
                f"{case.id} {case.name.replace('_', ' ')}: {case.description}. "
                f"Expected: {case.expected_behavior}. Test: {case.test_approach}.",
                {
                    "entity": case.entity,
                    "workflow": case.workflow or "",
                    "severity": str(case.severity.value),
                },
            )
        )
    for pattern in patterns.known():
        found.append(
            Document(
                f"pattern:{pattern.id}",
                "test_data_pattern",
                f"{pattern.scenario.replace('_', ' ')} {pattern.entity}",
                pattern.text,
                {
                    "entity": pattern.entity,
                    "workflow": pattern.workflow or "",
                    "scenario": pattern.scenario,
                },
            )
        )
    return found


class Index:
    """The embeddings of the documents, each kept while its text is unchanged (a new pattern
    or a changed rule embeds that document alone). `load_encoder` gives the model, or None
    when it cannot be had (the index then ranks by words)."""

    def __init__(self, load_encoder: Callable[[], Encoder | None] = encoder) -> None:
        self._load_encoder = load_encoder
        self._lock = threading.Lock()
        self._fingerprint = ""
        self._vectors: Any = None
        self._by_text: dict[str, Any] = {}

    def search(self, query: str, *, categories: list[str], limit: int) -> tuple[list[Hit], str]:
        """The best `limit` documents of `categories` (all when empty), and the method."""
        docs = documents()
        wanted = [i for i, d in enumerate(docs) if not categories or d.category in categories]
        model = self.model()
        if model is None:
            scores = _bm25(query, [docs[i].content for i in wanted])
            method = "lexical"
        else:
            vectors = self._vectors_for(docs, model)
            scores = [float(s) for s in vectors[wanted] @ model.embed([query])[0]]
            method = "semantic"
        ranked = sorted(zip(wanted, scores, strict=True), key=lambda p: -p[1])[:limit]
        return [Hit(docs[i], round(max(0.0, score), 4)) for i, score in ranked], method

    def model(self) -> Encoder | None:
        """The embedding model this index ranks with (None: it ranks by words)."""
        return self._load_encoder()

    def _vectors_for(self, docs: list[Document], model: Any) -> Any:
        import numpy as np

        text = "\x00".join(f"{d.id}\x01{d.content}" for d in docs)
        fingerprint = hashlib.sha256(text.encode()).hexdigest()
        with self._lock:
            if fingerprint != self._fingerprint:
                texts = {d.content for d in docs}
                missing = sorted(texts - self._by_text.keys())
                kept = {t: v for t, v in self._by_text.items() if t in texts}  # none outlive
                if missing:
                    kept.update(zip(missing, model.embed(missing), strict=True))
                self._by_text = kept
                self._vectors = np.stack([self._by_text[d.content] for d in docs])
                self._fingerprint = fingerprint
            return self._vectors


INDEX = Index()

_WORD = re.compile(r"[a-z0-9]+")


def _bm25(query: str, texts: list[str], k1: float = 1.5, b: float = 0.75) -> list[float]:
    """Okapi BM25 of `query` against each text: the ranking when there is no model."""
    tokenized = [_WORD.findall(t.lower()) for t in texts]
    if not tokenized:
        return []
    average = sum(map(len, tokenized)) / len(tokenized) or 1.0
    frequency = Counter(word for words in tokenized for word in set(words))
    scores = []
    for words in tokenized:
        counts = Counter(words)
        score = 0.0
        for term in set(_WORD.findall(query.lower())):
            if term not in counts:
                continue
            idf = math.log(1 + (len(tokenized) - frequency[term] + 0.5) / (frequency[term] + 0.5))
            tf = counts[term]
            score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(words) / average))
        scores.append(score)
    top = max(scores) or 1.0
    return [s / top for s in scores]
