"""Topic clusters: reviews about different things fall apart into topics labelled by their
own words, the same way every time."""

from __future__ import annotations

import numpy as np
import pytest

from mercato.agents.intelligence.sentiment import topics
from mercato.agents.intelligence.sentiment.model import embed

BATTERY = [f"The battery {w} after a day of use." for w in
           ("died", "drained", "emptied", "ran flat", "gave out")]  # fmt: skip
STRAP = [f"The strap is {w} on my wrist." for w in
         ("comfy", "soft", "itchy", "tight", "loose")]  # fmt: skip


@pytest.mark.parametrize("with_embeddings", [True, False])
def test_reviews_about_different_things_make_different_topics(with_embeddings: bool) -> None:
    # given ten reviews, five about the battery and five about the strap
    texts = BATTERY + STRAP
    ids = [str(i) for i in range(len(texts))]
    vectors = embed(texts) if with_embeddings else None
    if with_embeddings and vectors is None:
        pytest.skip("the MiniLM runtime is not installed")
    # when they are clustered (twice)
    found = topics.clusters(ids, texts, [0.0] * 10, vectors)
    again = topics.clusters(ids, texts, [0.0] * 10, vectors)
    # then there are two topics of five, each labelled by its subject, the same both times
    assert found == again
    assert sorted(t.count for t in found) == [5, 5]
    assert {frozenset(t.review_ids) <= frozenset(ids[:5]) or frozenset(t.review_ids)
            <= frozenset(ids[5:]) for t in found} == {True}  # fmt: skip
    labels = " ".join(t.label for t in found)
    assert "battery" in labels and "strap" in labels


def test_no_review_no_topic_and_kmeans_keeps_every_point() -> None:
    assert topics.clusters([], [], [], None) == []
    points = np.asarray([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
    assign = topics.kmeans(points, 2, seed=1)
    assert len(assign) == 4 and assign[0] == assign[1] != assign[2] == assign[3]
