"""What every part of understanding reads a message as: folded to lower-case ASCII where it
can be, letters repeated for emphasis cut to two ("pleeease" → "pleease"), and words with
their character spans in the original text (so an entity can point back at what was typed)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_REPEATS = re.compile(r"(.)\1{2,}")
_WORD = re.compile(r"[a-z0-9]+(?:['’.-][a-z0-9]+)*", re.IGNORECASE)  # noqa: RUF001


@dataclass(frozen=True)
class Token:
    text: str
    """Lower-cased, folded."""
    start: int
    end: int


def fold(text: str) -> str:
    """Lower-case; accents dropped where the letter has an ASCII base; one character for
    one character, so spans computed on the folded text hold on the original."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)[:1] or char
        out.append(base.lower() if len(base.lower()) == 1 else char.lower()[:1] or char)
    return "".join(out)


def tokens(text: str) -> list[Token]:
    folded = fold(text)
    return [Token(m.group(0).replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(folded)]  # noqa: RUF001


def normalized(text: str) -> str:
    """The words of a message, space-separated, emphasis cut: what the classifier reads."""
    return " ".join(_REPEATS.sub(r"\1\1", t.text) for t in tokens(text))
