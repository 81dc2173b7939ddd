"""The embedding classifier's training examples, composed from phrase templates with a
seeded generator (`compose`), written to `assets/train.jsonl` by `mercato intel
sentiment-train`. Each example's label follows from how it was built: praise, complaints,
plain statements, negated praise or complaints, sarcasm (praise turned by a marker), and
mixed reviews ("X but Y" takes the side of Y); with typos, emoji and loanwords mixed in.
The evaluation set (bench/datasets/) is written another way, freehand, and is never read here."""

from __future__ import annotations

import random

ITEMS = [
    "jacket", "kettle", "lamp", "backpack", "charger", "mixer", "pillow", "desk", "boots",
    "router", "mug", "speaker", "sweater", "frying pan", "keyboard", "mouse", "stroller",
    "water bottle", "camera bag", "bed frame", "toaster", "jeans", "yoga pants", "drone",
    "coffee machine", "bookshelf", "earbuds", "tablet stand", "bike lock", "raincoat",
]  # fmt: skip
GOOD = [
    "is excellent", "works great", "is really well made", "feels premium", "is amazing",
    "exceeded my expectations", "is exactly what I wanted", "is very comfortable",
    "looks fantastic", "is sturdy and reliable", "does its job perfectly", "is a joy to use",
    "is great value", "is lovely", "has held up really well", "is super easy to use",
    "performs brilliantly", "is the best I have owned", "is beautiful", "is worth it",
]  # fmt: skip
BAD = [
    "is awful", "stopped working", "feels cheap", "is poorly made", "broke quickly",
    "is a total disappointment", "is uncomfortable", "looks nothing like the photos",
    "is flimsy", "fell apart", "is a waste of money", "is really annoying to use",
    "arrived damaged", "is faulty", "is far too small", "smells weird", "is useless",
    "overheats", "is the worst I have owned", "is badly designed",
]  # fmt: skip
PLAIN = [
    "is black", "came in a box", "is the 2022 model", "weighs about a kilo",
    "has two buttons", "is made of plastic", "uses AA batteries", "is a gift for my brother",
    "came with a manual", "is the medium size", "replaces my old one", "is for the office",
    "was ordered on Monday", "has a USB port", "is what I ordered",
]  # fmt: skip
ASPECT_GOOD = [
    "delivery was quick", "the price is fair", "customer service was helpful",
    "the packaging was neat", "the size fits perfectly", "the quality is superb",
    "the colour is gorgeous", "setup was easy", "it has lasted for years",
]  # fmt: skip
ASPECT_BAD = [
    "delivery took forever", "it is overpriced", "support never replied",
    "the box was crushed", "the fit is too tight", "the stitching is poor",
    "the colour faded fast", "the instructions are confusing", "it broke after a week",
]  # fmt: skip
SO_SO = ["is okay", "is average", "is alright", "is as expected", "is neither good nor bad",
         "is so-so", "does what it needs to", "is standard", "is fine for now"]  # fmt: skip
OPENERS_GOOD = ["Love it!", "Highly recommend.", "So happy with this.", "Great buy.", "10/10."]
OPENERS_BAD = ["Avoid.", "Very disappointed.", "Do not buy.", "Never again.", "Ugh."]
SARCASM = [
    "Oh great, the {item} {bad}. Just what I needed.", "Yeah right, 'best {item} ever'.",
    "Wonderful... the {item} {bad}.", "Thanks a lot, the {item} {bad}. /s",
    "Five stars for a {item} that {bad}, said no one.", "Brilliant, my new {item} {bad} 🙄",
]  # fmt: skip
NEGATED_GOOD = ["is not good", "isn't worth it", "is not comfortable", "does not work well",
                "is not what I expected", "never works properly"]  # fmt: skip
NEGATED_BAD = ["is not bad at all", "isn't bad", "never lets me down", "has no problems",
               "gives me nothing to complain about", "is not disappointing"]  # fmt: skip
LOANWORDS_GOOD = ["muy bueno", "très bien", "sehr gut", "molto bello", "perfecto", "wunderbar"]
LOANWORDS_BAD = ["kaputt", "muy malo", "nul", "schlecht", "pas bien", "terrible, vraiment"]
EMOJI_GOOD = ["😍", "👍", "❤️", "😊", "🔥", "🙌"]
EMOJI_BAD = ["😡", "👎", "😞", "🤬", "💩", "😤"]
INTENSIFIERS = ["really", "very", "extremely", "so", "absolutely", "super"]
TYPOS = {
    "really": "realy", "quality": "qaulity", "recommend": "recomend", "very": "verry",
    "disappointed": "dissapointed", "great": "grate", "the": "teh", "definitely": "definately",
}  # fmt: skip


def _typo(rng: random.Random, text: str) -> str:
    """Misspell one word the way reviewers do, or stretch one ("sooo")."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if w.lower() in TYPOS]
    if candidates:
        i = rng.choice(candidates)
        words[i] = TYPOS[words[i].lower()]
    else:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 2 and w[-1].isalpha():
            words[i] = w + w[-1] * rng.randint(2, 4)
    return " ".join(words)


def _one(rng: random.Random) -> tuple[str, str]:
    item = rng.choice(ITEMS)
    kind = rng.choice(
        ["good", "bad", "plain", "plain", "so_so", "mixed_good", "mixed_bad", "sarcasm", "neg_good",
         "neg_bad", "aspects_good", "aspects_bad", "loan", "emoji"]
    )  # fmt: skip
    the = rng.choice(["The", "This", "My", "Our"])
    if kind == "good":
        good = rng.choice(GOOD)
        if good.startswith("is ") and rng.random() < 0.5:
            good = f"is {rng.choice(INTENSIFIERS)} {good[3:]}"
        text = f"{the} {item} {good}."
        return (f"{rng.choice(OPENERS_GOOD)} {text}" if rng.random() < 0.4 else text), "positive"
    if kind == "bad":
        text = f"{the} {item} {rng.choice(BAD)}."
        return (f"{rng.choice(OPENERS_BAD)} {text}" if rng.random() < 0.4 else text), "negative"
    if kind == "plain":
        text = f"{the} {item} {rng.choice(PLAIN)}."
        return (
            f"{text} {the} {item} {rng.choice(PLAIN)}." if rng.random() < 0.3 else text
        ), "neutral"
    if kind == "so_so":
        return f"{the} {item} {rng.choice(SO_SO)}.", "neutral"
    if kind == "mixed_good":  # the complaint first, the verdict after "but"
        return (
            f"{rng.choice(ASPECT_BAD).capitalize()}, but the {item} {rng.choice(GOOD)}.",
            "positive",
        )
    if kind == "mixed_bad":
        return (
            f"The {item} {rng.choice(GOOD)} but {rng.choice(ASPECT_BAD)} and it {rng.choice(BAD)}.",
            "negative",
        )
    if kind == "sarcasm":
        return rng.choice(SARCASM).format(item=item, bad=rng.choice(BAD)), "negative"
    if kind == "neg_good":
        return f"{the} {item} {rng.choice(NEGATED_GOOD)}.", "negative"
    if kind == "neg_bad":
        return f"{the} {item} {rng.choice(NEGATED_BAD)}.", "positive"
    if kind == "aspects_good":
        picked = rng.sample(ASPECT_GOOD, 2)
        return f"{picked[0].capitalize()} and {picked[1]}.", "positive"
    if kind == "aspects_bad":
        picked = rng.sample(ASPECT_BAD, 2)
        return f"{picked[0].capitalize()} and {picked[1]}.", "negative"
    if kind == "loan":
        if rng.random() < 0.5:
            return f"{the} {item}: {rng.choice(LOANWORDS_GOOD)}! {rng.choice(GOOD)}.", "positive"
        return f"{the} {item} is {rng.choice(LOANWORDS_BAD)}, {rng.choice(BAD)}.", "negative"
    if rng.random() < 0.5:
        return f"{the} {item} {rng.choice(GOOD)} {rng.choice(EMOJI_GOOD)}", "positive"
    return f"{the} {item} {rng.choice(BAD)} {rng.choice(EMOJI_BAD)}", "negative"


def compose(seed: int, count: int = 600) -> list[tuple[str, str]]:
    """`count` distinct (text, label) examples, the same for the same seed; a fifth of
    them with a typo or a stretched word."""
    rng = random.Random(seed)
    seen: dict[str, str] = {}
    while len(seen) < count:
        text, label = _one(rng)
        if rng.random() < 0.2:
            text = _typo(rng, text)
        seen.setdefault(text, label)
    return list(seen.items())
