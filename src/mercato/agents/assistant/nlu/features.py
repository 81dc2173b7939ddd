"""What the classifier sees of a message: its meaning (the MiniLM sentence vector Mercato
ships), its words and word pairs, and its letters in threes and fours (so "cancle" still
looks like "cancel"), the last two hashed into fixed-size blocks. Each block is a unit
vector, weighted; without the model's runtime the meaning block is zeros, and the words
still carry the message."""

from __future__ import annotations

import itertools
import zlib
from typing import Any

import numpy as np

from mercato.agents.assistant.nlu.text import normalized
from mercato.kernel.embeddings import DIMENSIONS, encoder

WORD_BUCKETS = 4096
CHAR_BUCKETS = 8192
WIDTH = DIMENSIONS + WORD_BUCKETS + CHAR_BUCKETS
WEIGHTS = (1.0, 0.8, 0.8)
"""Meaning, words, letters."""


def _bucket(token: str, buckets: int) -> int:
    return zlib.crc32(token.encode("utf-8")) % buckets


def _sparse_block(keys: list[str], buckets: int) -> dict[int, float]:
    block: dict[int, float] = {}
    for key in keys:
        index = _bucket(key, buckets)
        block[index] = 1.0
    return block


def word_keys(text: str) -> list[str]:
    words = text.split()
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


def char_keys(text: str) -> list[str]:
    keys: list[str] = []
    for word in text.split():
        padded = f"<{word}>"
        for n in (3, 4):
            keys.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return keys


def vectors(texts: list[str]) -> np.ndarray[Any, Any]:
    """(len(texts), WIDTH) float32 features."""
    clean = [normalized(t) for t in texts]
    out = np.zeros((len(texts), WIDTH), dtype=np.float32)
    model = encoder("queries")  # short texts at request time, as search's queries
    if model is not None and texts:
        out[:, :DIMENSIONS] = model.embed([c or "?" for c in clean]) * WEIGHTS[0]
    for row, text in enumerate(clean):
        for offset, keys, buckets, weight in (
            (DIMENSIONS, word_keys(text), WORD_BUCKETS, WEIGHTS[1]),
            (DIMENSIONS + WORD_BUCKETS, char_keys(text), CHAR_BUCKETS, WEIGHTS[2]),
        ):
            block = _sparse_block(keys, buckets)
            if block:
                norm = weight / float(np.sqrt(len(block)))
                for index in block:
                    out[row, offset + index] = norm
    return out
