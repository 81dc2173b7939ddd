"""Words as the FAQ matches them: folded (lower case, no accents), English stop words
dropped, and cut to a rough stem ("returns", "returned", "returning" → "return"), so a
question and an article meet on what they are about rather than on how each is worded."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing don down during each few for
    from further get got had has have having he her here hers herself him himself his how i if
    in into is it its itself just me might more most much my myself need no nor not now of off
    on once only or other our ours ourselves out over own please same shall she should so some
    such than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves""".split()  # noqa: SIM905 - a list to read
)
"""Words that say nothing of what a question is about ("how do i …", "when will my …")."""

_SUFFIXES = (
    ("sses", "ss"),
    ("ies", "y"),
    ("ing", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
    ("ly", ""),
)
_DOUBLED = re.compile(r"([b-df-hj-np-tv-z])\1$")


def fold(text: str) -> str:
    """Lower-cased, without accents: "Crème" → "creme"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A rough English stem: one inflection off, a doubled last consonant undone, a final
    silent e or a y after a consonant dropped ("shipping" → "ship", "arrives" and "arrive" →
    "arriv", "deliveries" and "delivery" → "deliver")."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + replacement
            break
    if _DOUBLED.search(word) and not word.endswith(("ss", "zz")):
        word = word[:-1]
    silent_e = word.endswith("e") and len(word) > 3
    consonant_y = word.endswith("y") and len(word) > 4 and word[-2] not in "aeiou"
    if silent_e or consonant_y:
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The stems of the text's words that carry meaning, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        if word not in STOP_WORDS:
            seen.setdefault(stem(word), None)
    return list(seen)
