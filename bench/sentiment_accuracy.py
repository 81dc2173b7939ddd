"""Review sentiment: accuracy and macro-F1 on the labelled evaluation set the project wrote
freehand (bench/datasets/sentiment_eval.jsonl: full reviews in varied voices, never used for
training or tuning; the training set is composed from templates, see
src/mercato/agents/intelligence/sentiment/training_set.py), for

- raw VADER (compound ≥ 0.05 positive, ≤ -0.05 negative: the package's own recipe),
- the lexicon model (VADER with the project's handling, calibrated on the training set),
- the classifier on MiniLM embeddings,
- the served combination (the weight chosen by cross-validation on the training set);

and the throughput of `POST /v1/intelligence/sentiment` with 1,000 texts (in process,
SQLite, the admin key), the ONNX model warmed first.

Usage:
    python bench/sentiment_accuracy.py [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import numpy as np

import benchlib
from mercato.agents.intelligence.sentiment import lexicon
from mercato.agents.intelligence.sentiment.classifier import LABELS
from mercato.agents.intelligence.sentiment.metrics import accuracy, macro_f1
from mercato.agents.intelligence.sentiment.model import analyse, embed, lexicon_probabilities, model

EVAL = Path(__file__).resolve().parent / "datasets" / "sentiment_eval.jsonl"
DEV_SIZE = sum(1 for _ in (Path(lexicon.__file__).parent / "assets" / "dev.jsonl").open())
ADMIN_KEY = "mk_bench_admin_key"


def _scores(truth: list[str], predicted: list[str]) -> dict[str, Any]:
    per_class = {}
    for c in LABELS:
        tp = sum(a == c == b for a, b in zip(truth, predicted, strict=True))
        fp = sum(a != c and b == c for a, b in zip(truth, predicted, strict=True))
        fn = sum(a == c and b != c for a, b in zip(truth, predicted, strict=True))
        per_class[c] = round(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn), 3)
    return {
        "accuracy": round(accuracy(truth, predicted), 3),
        "macro_f1": round(macro_f1(truth, predicted), 3),
        "f1_by_class": per_class,
    }


def accuracy_figures() -> dict[str, Any]:
    rows = [json.loads(line) for line in EVAL.read_text().splitlines() if line.strip()]
    texts, truth = [r["text"] for r in rows], [r["label"] for r in rows]
    raw = [lexicon.label_of(lexicon.analyzer().polarity_scores(t)["compound"]) for t in texts]
    lex = lexicon_probabilities([lexicon.score(t) for t in texts]).argmax(axis=1)
    vectors = embed(texts)
    if vectors is None:
        raise SystemExit("the MiniLM runtime is not installed: nothing to measure")
    emb = model().classifier.probabilities(vectors).argmax(axis=1)
    served = [a.label for a in analyse(texts)]
    return {
        "examples": len(rows),
        "labels": dict(Counter(truth)),
        "models": {
            "VADER as shipped (baseline)": _scores(truth, raw),
            "lexicon (VADER + project handling, calibrated)": _scores(
                truth, [LABELS[int(i)] for i in lex]
            ),
            "MiniLM embeddings + logistic regression": _scores(
                truth, [LABELS[int(i)] for i in emb]
            ),
            f"served: {model().describe(embeddings=True)['combination']}": _scores(truth, served),
        },
    }


async def throughput(texts: int, rounds: int) -> dict[str, Any]:
    from mercato.app import create_app
    from mercato.kernel import migrate
    from mercato.kernel.bootstrap import Kernel
    from mercato.kernel.config import Settings

    rows = [json.loads(line)["text"] for line in EVAL.read_text().splitlines() if line.strip()]
    body = {"texts": [f"{rows[i % len(rows)]} ({i})" for i in range(texts)]}
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(
            data_dir=Path(directory), admin_api_key=ADMIN_KEY, log_level="WARNING",
            rate_limit_api="1000000/minute",
        )  # fmt: skip
        await asyncio.to_thread(migrate.upgrade, settings)
        kernel = Kernel.build(settings)
        await kernel.prepare()
        transport = httpx.ASGITransport(app=create_app(kernel=kernel))
        headers = {"authorization": f"Bearer {ADMIN_KEY}"}
        seconds, cpu = [], []
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            warm = await client.post("/v1/intelligence/sentiment", json={"texts": ["warm"]},
                                     headers=headers)  # fmt: skip
            assert warm.status_code == 200, warm.text
            for _ in range(rounds):
                started, cpu_started = time.perf_counter(), time.process_time()
                answer = await client.post("/v1/intelligence/sentiment", json=body,
                                           headers=headers, timeout=300)  # fmt: skip
                seconds.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
                assert answer.status_code == 200, answer.text
        await kernel.stop()
    best = float(np.median(seconds))
    return {
        "texts_per_request": texts,
        "rounds": rounds,
        "median_seconds": round(best, 2),
        "texts_per_second": round(texts / best, 1),
        "median_cpu_seconds": round(float(np.median(cpu)), 2),
        "texts_per_cpu_second": round(texts / float(np.median(cpu)), 1),
    }


def markdown(data: dict[str, Any]) -> str:
    r = data["result"]
    lines = benchlib.report_header("Review sentiment: accuracy and throughput", data)
    lines += [
        "## Accuracy on the evaluation set",
        "",
        f"{r['accuracy']['examples']} reviews written freehand ({r['accuracy']['labels']}), "
        "in bench/datasets/sentiment_eval.jsonl; the models were trained on "
        f"{r['training']['training_examples']} template-composed examples "
        f"(seed {r['training']['seed']}, model {r['training']['version']}). No model "
        "was trained on the evaluation set and no setting was picked by its score (but see how "
        "far to trust the figures, below).",
        "",
        "| model | accuracy | macro-F1 | F1 negative | F1 neutral | F1 positive |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in r["accuracy"]["models"].items():
        f = s["f1_by_class"]
        lines.append(
            f"| {name} | {s['accuracy']} | {s['macro_f1']} | {f['negative']} | "
            f"{f['neutral']} | {f['positive']} |"
        )
    lines += [
        "",
        "The classifier's L2 penalty "
        f"({r['training']['l2']}) and the combination's weight "
        f"({r['training']['combination']['embedding_weight']} for the embedding model) were "
        "chosen on the development set (src/mercato/agents/intelligence/sentiment/assets/"
        f"dev.jsonl, {DEV_SIZE} reviews written freehand; best macro-F1 there "
        f"{max(r['training']['development_macro_f1'].values())}).",
        "",
        "How far to trust these figures: the evaluation set, the development set, the training "
        "templates and the lexicon's additions were all written by the same author, so the "
        "evaluation set is not independent of that author's idea of what reviews say; expect "
        "lower figures on real customers' reviews. The evaluation set was read once before the "
        "development set existed: with the weight then chosen by 5-fold cross-validation on the "
        "template-made training set (0.6 for the embeddings), the served model scored accuracy "
        "0.686 / macro-F1 0.678 and the embedding model alone 0.627 / 0.624, below the lexicon "
        "alone (0.763 / 0.760). That is why the choice moved to freehand development reviews. "
        "Later the lexicon learnt emoji VADER leaves unscored and doubted sellers' claims in "
        "scare quotes (prompted by unit tests); the figures above are after that change.",
        "",
        "## Throughput",
        "",
        f"`POST /v1/intelligence/sentiment` with {r['throughput']['texts_per_request']} texts "
        f"(in process, SQLite, warmed): median {r['throughput']['median_seconds']} s over "
        f"{r['throughput']['rounds']} requests, **{r['throughput']['texts_per_second']} "
        "texts/s** (one ONNX thread; the embedding is most of it). The process itself spent "
        f"{r['throughput']['median_cpu_seconds']} CPU-seconds a request "
        f"({r['throughput']['texts_per_cpu_second']} texts per CPU-second): the difference "
        "from the wall time is the other processes' share of the two cores (below).",
        "",
        benchlib.noise_line(data["machine"]),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    conditions = benchlib.Conditions()
    trained = json.loads((Path(lexicon.__file__).parent / "assets" / "model.json").read_text())
    result = {
        "accuracy": accuracy_figures(),
        "training": {
            "l2": trained["embedding"]["l2"],
            "development_macro_f1": trained["development_macro_f1"],
            **{k: trained[k] for k in ("version", "seed", "training_examples", "combination")},
        },
        "throughput": asyncio.run(throughput(args.texts, args.rounds)),
    }
    data = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": conditions.finish(),
        "result": result,
    }
    print(json.dumps(result, indent=2))
    if args.record:
        benchlib.write_results("sentiment", data, markdown(data))


if __name__ == "__main__":
    main()
