"""Training the served model (`mercato intel sentiment-train`): compose the training set
(`training_set.py`, seeded), embed it, fit the lexicon's calibration and the embedding
classifier, and choose the classifier's penalty and how the two are combined on the
development set (assets/dev.jsonl: reviews written freehand, like real ones; cross-validation
on the template-made training set favoured the embeddings far more than real reviews bear
out). The evaluation set in bench/datasets/ is never read here. Writes assets/train.jsonl and
assets/model.json; the same seed gives the same files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from mercato.agents.intelligence.sentiment import lexicon
from mercato.agents.intelligence.sentiment.classifier import LABELS, Array, fit
from mercato.agents.intelligence.sentiment.metrics import macro_f1
from mercato.agents.intelligence.sentiment.text import DATA
from mercato.agents.intelligence.sentiment.training_set import compose
from mercato.kernel.embeddings import encoder

WEIGHTS = [round(0.1 * i, 1) for i in range(11)]
"""The embedding model's share in the combination, tried on the development set."""
PENALTIES = [0.01, 0.1, 1.0]
"""The embedding classifier's L2 penalties tried."""


def lexicon_features(texts: list[str]) -> Array:
    return np.asarray([lexicon.score(t).features() for t in texts], np.float64)


def _read(path: Path) -> tuple[list[str], Array]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r["text"] for r in rows], np.asarray([LABELS.index(r["label"]) for r in rows])


def _choose(
    lex: Array, emb: Array, y: Array, dev_lex: Array, dev_emb: Array, dev_y: Array
) -> dict[str, Any]:
    """The penalty and the combination weight with the best macro-F1 on the development set
    (ties: the smaller share of the embeddings, then the larger penalty)."""
    p_lex = fit(lex, y).probabilities(dev_lex)
    grid: dict[str, float] = {}
    for l2 in PENALTIES:
        p_emb = fit(emb, y, l2=l2).probabilities(dev_emb)
        for w in WEIGHTS:
            predicted = ((1 - w) * p_lex + w * p_emb).argmax(axis=1)
            grid[f"l2={l2} w={w}"] = round(macro_f1(dev_y.tolist(), predicted.tolist()), 4)
    l2, w = max(
        ((l2, w) for l2 in PENALTIES for w in WEIGHTS),
        key=lambda c: (grid[f"l2={c[0]} w={c[1]}"], -c[1], c[0]),
    )
    return {"l2": l2, "embedding_weight": w, "dev_macro_f1": grid}


def train(
    *, seed: int = 19, count: int = 600, out: Path = DATA, say: Callable[[str], None] = print
) -> dict[str, Any]:
    """Train and write the model; answers what was written (its metadata)."""
    examples = compose(seed, count)
    with (out / "train.jsonl").open("w") as fh:
        for text, label in examples:
            fh.write(json.dumps({"text": text, "label": label}, ensure_ascii=False) + "\n")
    texts = [t for t, _ in examples]
    y = np.asarray([LABELS.index(label) for _, label in examples])
    say(f"composed {len(texts)} examples (seed {seed}); embedding them")
    enc = encoder("sentiment")
    if enc is None:
        raise RuntimeError("the MiniLM model is not available: cannot train the classifier")
    emb = enc.embed(texts).astype(np.float64)
    lex = lexicon_features(texts)
    dev_texts, dev_y = _read(DATA / "dev.jsonl")
    chosen = _choose(
        lex, emb, y, lexicon_features(dev_texts), enc.embed(dev_texts).astype(np.float64), dev_y
    )
    say(f"chosen on the development set: l2 {chosen['l2']}, embedding weight "
        f"{chosen['embedding_weight']}")  # fmt: skip
    model = {
        "name": "mercato-sentiment",
        "version": f"1.0.{seed}",
        "seed": seed,
        "training_examples": len(texts),
        "lexicon": {"name": "vader", "calibration": fit(lex, y).to_json()},
        "embedding": {
            "name": "all-MiniLM-L6-v2-int8",
            "l2": chosen["l2"],
            "classifier": fit(emb, y, l2=chosen["l2"]).to_json(),
        },
        "combination": {"embedding_weight": chosen["embedding_weight"]},
        "development_macro_f1": chosen["dev_macro_f1"],
    }
    (out / "model.json").write_text(json.dumps(model) + "\n")
    return {k: v for k, v in model.items() if k not in ("lexicon", "embedding")}
