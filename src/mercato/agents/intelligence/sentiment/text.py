"""Text as the sentiment models read it: typos and stretched words evened out, the project's
multi-word phrases joined into one token, and a review cut into clauses (aspects are judged
clause by clause: "love the colour but delivery took forever" is two opinions)."""

from __future__ import annotations

import re
from functools import cache

from mercato.agents.intelligence.sentiment.vader import DATA, additions, vocabulary

__all__ = ["DATA", "MAX_CHARS", "clauses", "normalise", "words"]
MAX_CHARS = 5000
"""The longest text analysed (the API refuses longer ones; the CLI and handlers cut there)."""

TYPOS = {
    "gud": "good", "gr8": "great", "luv": "love", "terible": "terrible", "horible": "horrible",
    "recomend": "recommend", "reccomend": "recommend", "recommed": "recommend",
    "excelent": "excellent", "verry": "very", "realy": "really", "dissapointed": "disappointed",
    "disapointed": "disappointed", "dissapointing": "disappointing", "awsome": "awesome",
    "beautifull": "beautiful", "definately": "definitely", "qaulity": "quality",
    "quailty": "quality", "delivey": "delivery", "wont": "won't", "dont": "don't",
    "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "cant": "can't", "u": "you",
    "ur": "your", "pls": "please", "plz": "please", "thx": "thanks", "v": "very",
}  # fmt: skip
"""Misspellings and texting forms seen in reviews, mapped to the word the lexicon knows."""

_WORD = re.compile(r"[a-z']+")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_CLAUSE_BREAK = re.compile(
    r"(?:[.!?;…]+|\s[-\u2013\u2014]\s|,\s*(?:but|and|though|although|however|yet|whereas)\b"
    r"|\b(?:but|however|although|though|whereas|yet|except)\b|,)",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")


@cache
def phrases() -> dict[str, str]:
    """The project lexicon's multi-word entries, as written → as one token."""
    words: dict[str, float] = additions()["words"]
    joined = {w.replace("_", " "): w for w in words if "_" in w}
    return dict(sorted(joined.items(), key=lambda kv: -len(kv[0])))


@cache
def _phrase_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases()) + r")\b", re.IGNORECASE)


def _fix_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if _STRETCHED.search(word):  # "sooo gooood" → "so good": two letters, else one
        two = _STRETCHED.sub(r"\1\1", word)
        word = two if two in vocabulary() else _STRETCHED.sub(r"\1", word)
    return TYPOS.get(word, word)


def normalise(text: str) -> str:
    """The text the lexicon reads: at most MAX_CHARS, control characters as spaces, words
    lower-cased where they were not shouted, typos fixed, known phrases joined."""
    text = _SPACE.sub(" ", text[:MAX_CHARS]).strip()
    out = []
    for token in text.split(" "):
        shouted = len(token) > 1 and token.isupper()
        fixed = _WORD.sub(_fix_word, token.lower())
        out.append(fixed.upper() if shouted else fixed)
    joined = " ".join(out)
    return _phrase_pattern().sub(lambda m: phrases()[m.group(0).lower()], joined)


def clauses(text: str) -> list[str]:
    """The text's clauses: cut at sentence ends, commas, dashes and contrasting words."""
    parts = (
        p.strip(" \"'()\u201c\u201d\u2018\u2019") for p in _CLAUSE_BREAK.split(text[:MAX_CHARS])
    )
    return [p for p in parts if p and any(c.isalnum() for c in p)]


def words(text: str) -> list[str]:
    """Lower-case words (apostrophes kept), for phrase counting and cluster labels."""
    return _WORD.findall(text.lower())
