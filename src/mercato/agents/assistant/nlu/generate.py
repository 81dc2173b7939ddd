"""The classifier's training examples, generated from the phrasebooks: each pattern expanded
with words from a catalogue (the demo store's, or the live store's names), then varied the way
people type in a chat box: typos, text-speak, a greeting or a "pls" around the request, no
capitals, no punctuation. A seeded generator makes the same examples every time, so
`mercato assistant train` rebuilds the same model."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from mercato.agents.assistant.nlu.phrasebook_service import FILLERS, OUT_OF_SCOPE, SERVICE
from mercato.agents.assistant.nlu.phrasebook_shop import SHOP
from mercato.agents.assistant.nlu.phrasebook_terse import TERSE, TERSE_OUT_OF_SCOPE
from mercato.agents.assistant.nlu.phrasebook_voices import COUNTRY_NAMES, VOICES

_CHOICE = re.compile(r"\(([^()]*)\)(\??)")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")

SLANG = {
    "you": "u",
    "your": "ur",
    "please": "pls",
    "thanks": "thx",
    "what": "wat",
    "are": "r",
    "want to": "wanna",
    "going to": "gonna",
    "i am": "im",
    "i'm": "im",
    "don't": "dont",
    "can't": "cant",
    "because": "cuz",
    "okay": "ok",
    "tomorrow": "tmrw",
}
PREFIXES = ["hi ", "hey ", "hello, ", "um ", "so ", "ok ", "quick question: ", "excuse me, "]
SUFFIXES = [" please", " pls", " thanks", " thx", "?", "!!", " asap", " :)", " now", "..."]


@dataclass(frozen=True)
class Vocabulary:
    """The words the patterns' slots are filled with."""

    products: list[str]
    """Singular product names and kinds: "merino hoodie", "skillet"."""
    categories: list[str]
    colors: list[str] = field(
        default_factory=lambda: [
            "black",
            "white",
            "grey",
            "blue",
            "green",
            "red",
            "navy",
            "olive",
            "sand",
            "pink",
        ]
    )
    sizes: list[str] = field(
        default_factory=lambda: [
            "XS",
            "S",
            "M",
            "L",
            "XL",
            "XXL",
            "small",
            "medium",
            "large",
            "32",
            "42",
            "10",
        ]
    )


def demo_vocabulary() -> Vocabulary:
    """The demo catalogue's kinds of product (`mercato.demo_data`), as the shopper names them."""
    from mercato.demo_data import DEPARTMENTS, MATERIALS

    products: list[str] = []
    categories: list[str] = list(DEPARTMENTS)
    for department in DEPARTMENTS.values():
        for category, (nouns, _, kind) in department.items():
            categories.append(category)
            for noun in nouns:
                products.append(noun)
                products.extend(f"{m} {noun}" for m in MATERIALS[kind][:2])
    return Vocabulary(
        products=[p.lower() for p in products], categories=[c.lower() for c in categories]
    )


def _plural(word: str) -> str:
    if word.endswith(("s", "sh", "ch", "x")):
        return word if word.endswith("s") else word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


class Filler:
    def __init__(self, vocabulary: Vocabulary, rng: random.Random) -> None:
        self.v = vocabulary
        self.rng = rng

    def __call__(self, slot: str) -> str:
        r = self.rng
        v = self.v
        match slot:
            case "product":
                return r.choice(v.products)
            case "products":
                return _plural(r.choice(v.products))
            case "category":
                return r.choice(v.categories)
            case "color":
                return r.choice(v.colors)
            case "size":
                return r.choice(v.sizes)
            case "qty":
                return r.choice(
                    ["2", "3", "two", "three", "a couple", "4", "five", "1", "one", "10"]
                )
            case "price":
                amount = r.choice(["20", "30", "50", "75", "100", "150", "25.99", "40"])
                return r.choice(
                    [
                        amount,
                        f"${amount}",
                        f"{amount} bucks",
                        f"€{amount}",
                        f"{amount} euros",
                        f"£{amount}",
                    ]
                )
            case "order":
                digits = "".join(r.choice("0123456789") for _ in range(r.randint(6, 10)))
                return r.choice(
                    [
                        f"ORD-2026-{r.randint(1, 99999):07d}",
                        f"ord-2026-{r.randint(1, 999):07d}",
                        digits,
                        f"#{digits}",
                    ]
                )
            case "code":
                return r.choice(
                    ["WELCOME10", "SPRING-25", "FREESHIP", "SAVE20", "VIP2026", "summer15", "BF50"]
                )
            case "ordinal":
                return r.choice(["first", "second", "third", "last", "2nd", "1st", "other"])
            case "address":
                return r.choice(
                    [
                        "12 Baker Street, London NW1 6XE",
                        "Hauptstrasse 5, 10115 Berlin",
                        "45 Elm Road, Springfield 62704",
                        "221b high st, manchester",
                        "8 rue de la Paix, 75002 Paris, France",
                        "1600 Pennsylvania Ave, Washington DC 20500",
                    ]
                )
            case "country_name":
                return r.choice(COUNTRY_NAMES)
            case _:
                return r.choice(FILLERS[slot])


def expand(pattern: str, fill: Filler) -> str:
    """One sentence from a pattern: innermost choices first, then optionals, then slots."""
    rng = fill.rng
    text = pattern
    while True:
        changed = _CHOICE.sub(lambda m: _choose(m, rng), text)
        changed = _OPTIONAL.sub(lambda m: m.group(1) if rng.random() < 0.5 else "", changed)
        if changed == text:
            break
        text = changed
    text = _SLOT.sub(lambda m: fill(m.group(1)), text)
    return re.sub(r"\s+", " ", text).strip()


def _choose(match: re.Match[str], rng: random.Random) -> str:
    """`(a|b)` → one of them; `(a|b)?` → one of them or nothing."""
    if match.group(2) and rng.random() < 0.5:
        return ""
    options: list[str] = match.group(1).split("|")
    return rng.choice(options)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]  # dropped
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped
    if kind == 2:
        return word[:i] + word[i] + word[i:]  # doubled
    return word[:i] + rng.choice("aeiouy") + word[i + 1 :]  # a wrong vowel


def vary(text: str, rng: random.Random) -> str:
    """The sentence as someone might type it."""
    if rng.random() < 0.3:
        for formal, slang in SLANG.items():
            if rng.random() < 0.6:
                text = re.sub(rf"\b{re.escape(formal)}\b", slang, text)
    if rng.random() < 0.25:
        words = text.split(" ")
        for _ in range(rng.randint(1, 2)):
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
        text = " ".join(words)
    if rng.random() < 0.15:
        text = rng.choice(PREFIXES) + text
    if rng.random() < 0.2:
        text = text + rng.choice(SUFFIXES)
    if rng.random() < 0.5:
        text = text.lower()
    elif rng.random() < 0.3:
        text = text[:1].upper() + text[1:]
    if rng.random() < 0.05:
        text = text.upper()
    return text


def patterns() -> dict[str, list[str]]:
    merged = {**SHOP, **SERVICE, "out_of_scope": OUT_OF_SCOPE + TERSE_OUT_OF_SCOPE}
    return {
        intent: group + TERSE.get(intent, []) + VOICES.get(intent, [])
        for intent, group in merged.items()
    }


def examples(
    vocabulary: Vocabulary, *, per_pattern: int = 12, seed: int = 7, holdout: int = 0
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(training, held-out) examples as (text, intent). `holdout` patterns of each intent
    (every holdout-th, by position) give only held-out examples: the temperature is fitted
    on sentences whose structure the model never saw."""
    rng = random.Random(seed)
    fill = Filler(vocabulary, rng)
    train: list[tuple[str, str]] = []
    held: list[tuple[str, str]] = []
    for intent, group in patterns().items():
        for index, pattern in enumerate(group):
            target = held if holdout and index % holdout == holdout - 1 else train
            seen: set[str] = set()
            for _ in range(per_pattern * 3):
                if len(seen) >= per_pattern:
                    break
                text = vary(expand(pattern, fill), rng)
                if text and text not in seen:
                    seen.add(text)
                    target.append((text, intent))
    trained = {text for text, _ in train}
    return train, [(text, intent) for text, intent in held if text not in trained]


def counts(pairs: Iterable[tuple[str, str]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for _, intent in pairs:
        found[intent] = found.get(intent, 0) + 1
    return found
