"""Validate the hand-written assistant evaluation set (messages.jsonl).

Usage:
    python bench/assistant_eval/check.py [--file PATH] [--sample N] [--all] [--seed S]

Checks every line and exits non-zero if anything is wrong:
  * each line is a JSON object with exactly the keys text / intent / entities
  * intent is one of the known intents, entity types are known
  * start/end are ints, 0 <= start < end <= len(text), and text[start:end] is
    non-empty with no leading/trailing whitespace
  * entities do not overlap, values are non-empty and follow the documented
    normalisation for their type (digits for quantity, decimals for prices, ...)
  * out_of_scope messages carry no entities (see README)
  * no duplicate texts (exact, and after lowercasing / collapsing whitespace)
  * at least MIN_PER_INTENT messages per intent

Then prints counts per intent and per entity type, plus a sample of entities
(surface text -> normalised value) so the annotation can be eyeballed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

from mercato.agents.assistant.nlu.found import ENTITY_TYPES
from mercato.agents.assistant.nlu.intents import INTENTS

MIN_PER_INTENT = 15

DECIMAL = re.compile(r"\d+(\.\d+)?")
VALUE_RULES = {
    "quantity": (re.compile(r"[1-9]\d*"), "positive integer digits"),
    "price_min": (DECIMAL, "decimal number string"),
    "price_max": (DECIMAL, "decimal number string"),
    "ordinal": (re.compile(r"-?[1-9]\d*"), "non-zero integer (negative counts from the end)"),
    "order_ref": (re.compile(r"ORD-\d{4}-\d{7}|\d{6,15}"), "ORD-YYYY-NNNNNNN or 6-15 digits"),
    "discount_code": (re.compile(r"[A-Z0-9][A-Z0-9-]*"), "upper-case, no spaces"),
    "email": (re.compile(r"[^\sA-Z@]+@[^\sA-Z@]+\.[a-z]{2,}"), "lower-case e-mail address"),
    "country": (re.compile(r"[A-Z]{2}"), "ISO-3166 alpha-2"),
    "color": (re.compile(r"[a-z][a-z ]*"), "lower-case colour name"),
    "category": (re.compile(r"[a-z][a-z &'-]*"), "lower-case category name"),
}


def lowercase_rule(etype: str, value: str) -> str | None:
    if etype == "product" and value != value.lower():
        return "product value must be lower-case"
    return None


def norm_text(text: str) -> str:
    return " ".join(text.lower().split())


def check_entities(where: str, text: str, ents: list[object], errors: list[str]) -> None:
    """Append to `errors` what is wrong with the entities `ents` of the message `text`."""
    spans = []
    for i, ent in enumerate(ents):
        ew = f"{where} entity {i}"
        if not isinstance(ent, dict) or set(ent) != {"type", "value", "start", "end"}:
            errors.append(f"{ew}: expected keys type, value, start, end")
            continue
        etype, value, start, end = ent["type"], ent["value"], ent["start"], ent["end"]
        if etype not in ENTITY_TYPES:
            errors.append(f"{ew}: unknown entity type {etype!r}")
        if (
            not (isinstance(start, int) and isinstance(end, int))
            or isinstance(start, bool)
            or isinstance(end, bool)
        ):
            errors.append(f"{ew}: start/end must be integers")
            continue
        if not (0 <= start < end <= len(text)):
            errors.append(
                f"{ew}: offsets {start}:{end} out of range for text of length {len(text)}"
            )
            continue
        surface = text[start:end]
        if not surface.strip():
            errors.append(f"{ew}: empty surface text")
        elif surface != surface.strip():
            errors.append(f"{ew}: surface {surface!r} has leading/trailing whitespace")
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{ew}: value must be a non-empty string")
            continue
        rule = VALUE_RULES.get(etype)
        if rule and not rule[0].fullmatch(value):
            errors.append(f"{ew}: {etype} value {value!r} is not a {rule[1]}")
        msg = lowercase_rule(etype, value)
        if msg:
            errors.append(f"{ew}: {msg} (got {value!r})")
        spans.append((start, end, i))
    spans.sort()
    for (_s1, e1, i1), (s2, _e2, i2) in itertools.pairwise(spans):
        if s2 < e1:
            errors.append(f"{where}: entities {i1} and {i2} overlap")


def check(path: Path) -> tuple[list[dict], list[str]]:
    rows: list[dict] = []
    errors: list[str] = []
    seen_exact: dict[str, int] = {}
    seen_norm: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"line {lineno}"
            if not raw.strip():
                errors.append(f"{where}: blank line")
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                errors.append(f"{where}: invalid JSON ({exc})")
                continue
            if not isinstance(obj, dict) or set(obj) != {"text", "intent", "entities"}:
                errors.append(f"{where}: expected an object with keys text, intent, entities")
                continue
            text, intent, ents = obj["text"], obj["intent"], obj["entities"]
            if not isinstance(text, str) or not text.strip():
                errors.append(f"{where}: text must be a non-empty string")
                continue
            if text != text.strip():
                errors.append(f"{where}: text has leading/trailing whitespace")
            if intent not in INTENTS:
                errors.append(f"{where}: unknown intent {intent!r}")
            if text in seen_exact:
                errors.append(
                    f"{where}: duplicate text (same as line {seen_exact[text]}): {text!r}"
                )
            else:
                seen_exact[text] = lineno
                n = norm_text(text)
                if n in seen_norm:
                    errors.append(f"{where}: near-duplicate text (line {seen_norm[n]}): {text!r}")
                else:
                    seen_norm[n] = lineno
            if not isinstance(ents, list):
                errors.append(f"{where}: entities must be a list")
                continue
            if intent == "out_of_scope" and ents:
                errors.append(f"{where}: out_of_scope messages carry no entities")
            check_entities(where, text, ents, errors)
            rows.append(obj)
    return rows, errors


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--file", type=Path, default=Path(__file__).with_name("messages.jsonl"))
    ap.add_argument(
        "--sample", type=int, default=40, help="how many entities to print for eyeballing"
    )
    ap.add_argument("--all", action="store_true", help="print every entity instead of a sample")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    rows, errors = check(args.file)

    intents = Counter(r["intent"] for r in rows)
    etypes = Counter(
        e["type"] for r in rows for e in r["entities"] if isinstance(e, dict) and "type" in e
    )
    for name in INTENTS:
        if intents[name] < MIN_PER_INTENT:
            errors.append(f"intent {name!r} has {intents[name]} messages (< {MIN_PER_INTENT})")

    with_ents = sum(1 for r in rows if r["entities"])
    print(
        f"{args.file}: {len(rows)} messages, {with_ents} with at least one entity "
        f"({100 * with_ents / max(len(rows), 1):.1f}%), {sum(etypes.values())} entities\n"
    )
    print("messages per intent:")
    for name in INTENTS:
        print(f"  {name:<24} {intents[name]:>4}")
    print("\nentities per type:")
    for name in ENTITY_TYPES:
        print(f"  {name:<24} {etypes[name]:>4}")

    flat = [
        (r["text"], e)
        for r in rows
        for e in r["entities"]
        if isinstance(e, dict) and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
    ]
    if not args.all:
        random.Random(args.seed).shuffle(flat)
        flat = flat[: args.sample]
        print(f"\nsample of {len(flat)} entities (surface -> value):")
    else:
        print(f"\nall {len(flat)} entities (surface -> value):")
    for text, e in flat:
        print(
            f"  {e['type']:<14} {text[e['start'] : e['end']]!r:<34} -> {e['value']!r:<30} | {text}"
        )

    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for err in errors:
            print("  " + err)
        return 1
    print("\nOK: all lines valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
