"""Words: how a query and a product's text are cut, folded and shown. The database's own
full-text engine stems and matches (FTS5's porter tokenizer, PostgreSQL's `english`
configuration); these helpers only decide which words are asked for, and mark them in a
product's name for the shopper."""

from __future__ import annotations

import html
import re
import unicodedata

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 12
"""A query's words beyond these are dropped: nobody types more, and each costs a lookup."""
MIN_MARK = 3
"""A word of the name is marked when one of it and a query word begins the other, over this
many letters at least (or the whole query word, when shorter)."""


def fold(text: str) -> str:
    """Lower-cased, without accents: "Crème" → "creme"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str | None) -> list[str]:
    """The query's words, folded, in order, without repeats: letters and digits only, so no
    word can be read as an operator by either engine."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text or "")):
        seen.setdefault(word, None)
    return list(seen)[:MAX_WORDS]


def typing(text: str | None) -> bool:
    """Whether the last word is still being typed (no space after it): it is then matched
    as a prefix ("jack" finds jackets)."""
    return bool(text) and not text[-1].isspace()  # type: ignore[index]


def fts5_query(terms: list[str], *, prefix_last: bool, every: bool = True) -> str:
    """An FTS5 MATCH expression: each word quoted (never an operator), the last a prefix
    when it is being typed; all of them (`every`), or any."""
    quoted = [f'"{t}"' for t in terms]
    if prefix_last and quoted:
        quoted[-1] += "*"
    return (" AND " if every else " OR ").join(quoted)


def tsquery(terms: list[str], *, prefix_last: bool, every: bool = True) -> str:
    """A `to_tsquery('english', …)` text: the same words joined by & (or |), the last one
    with `:*` when it is being typed."""
    parts = list(terms)
    if prefix_last and parts:
        parts[-1] += ":*"
    return (" & " if every else " | ").join(parts)


def highlight(text: str, terms: list[str]) -> str | None:
    """`text` as HTML, escaped, with the words that answer the query in <mark>; None when no
    word does."""
    if not terms:
        return None
    out: list[str] = []
    marked = False
    end = 0
    for match in _WORD.finditer(text):
        word = fold(match.group())
        hit = any(_alike(word, t) for t in terms)
        out.append(html.escape(text[end : match.start()]))
        piece = html.escape(match.group())
        out.append(f"<mark>{piece}</mark>" if hit else piece)
        marked = marked or hit
        end = match.end()
    out.append(html.escape(text[end:]))
    return "".join(out) if marked else None


def _alike(word: str, term: str) -> bool:
    """ "jacket" answers "jack" (typed so far) and "jackets" (a plural the engine stemmed)."""
    if word.startswith(term) or term.startswith(word):
        return min(len(word), len(term)) >= min(MIN_MARK, len(term))
    return False
