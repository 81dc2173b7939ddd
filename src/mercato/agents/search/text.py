"""Words: how a query and a product's text are cut, folded and shown. The database's own
full-text engine stems and matches (FTS5's porter tokenizer, PostgreSQL's `english`
configuration); these helpers only decide which words are asked for, and mark them in a
product's name for the shopper."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 12
"""A query's words beyond these are dropped: nobody types more, and each costs a lookup."""
MIN_MARK = 3
"""A word of the name is marked when one of it and a query word begins the other, over this
many letters at least (or the whole query word, when shorter)."""


STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which who
    whom this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now""".split()  # noqa: SIM905 - a list to read
)
"""PostgreSQL's `english` stop words (Snowball's list), dropped from SQLite's queries too, so
both engines ask for the same words: "boots for hiking" asks for boots and hiking."""


FACET_NAME, FACET_PAIRS = "\x1f", "\x1e"
"""How a document's facet values are written on its row: name \\x1f value, pairs joined by
\\x1e (control characters no attribute holds: the edge refuses them in any input)."""


def fold(text: str) -> str:
    """Lower-cased, without accents: "Crème" → "creme"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain(text: str) -> str:
    """The text's words, folded, separated by spaces, as a query cuts them: what PostgreSQL
    indexes (its own parser reads "tee-1" as "tee" and the number "-1")."""
    return " ".join(_WORD.findall(fold(text)))


def words(text: str | None) -> list[str]:
    """The query's words, folded, in order, without repeats: letters and digits only, so no
    word can be read as an operator by either engine."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text or "")):
        seen.setdefault(word, None)
    return list(seen)[:MAX_WORDS]


def vocabulary(*texts: str) -> set[str]:
    """The distinct words of a product's texts a misspelling may be corrected to: folded,
    with a letter in them (not a SKU's number), 2 to 64 letters long."""
    found: set[str] = set()
    for text in texts:
        found.update(w for w in _WORD.findall(fold(text)) if 2 <= len(w) <= 64 and not w.isdigit())
    return found


def typing(text: str | None) -> bool:
    """Whether the last word is still being typed (no space after it): it is then matched
    as a prefix ("jack" finds jackets)."""
    return bool(text) and not text[-1].isspace()  # type: ignore[index]


@dataclass(frozen=True)
class Slot:
    """One word of the query, or a phrase a synonym group names, and what may stand for it:
    each alternative a phrase (its words in order)."""

    alternatives: tuple[tuple[str, ...], ...]
    typed: tuple[str, ...] | None = None
    """The alternative the shopper is still typing (matched as a prefix), if any."""


def slots(terms: list[str], groups: list[list[str]], *, typing: bool) -> list[Slot]:
    """The query's words, each with its synonyms: a word (or two or three words in a row)
    that is a member of a group may be matched by any member of it. The last word, while
    typed, is also matched as a prefix."""
    members: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for group in groups:
        phrases = tuple(dict.fromkeys(tuple(words(member)) for member in group if words(member)))
        for phrase in phrases:
            members.setdefault(phrase, phrases)
    out: list[Slot] = []
    at = 0
    while at < len(terms):
        for size in (3, 2, 1):
            phrase = tuple(terms[at : at + size])
            if len(phrase) == size and (phrase in members or size == 1):
                alternatives = members.get(phrase, (phrase,))
                last = at + size == len(terms)
                out.append(Slot(alternatives, phrase if typing and last else None))
                at += size
                break
    kept = [s for s in out if not _stop(s)]
    return kept or out  # a query of stop words alone ("the who") asks for them


def _stop(slot: Slot) -> bool:
    """A stop word on its own (not one being typed: "fo" may become "fog")."""
    return slot.typed is None and all(len(p) == 1 and p[0] in STOP_WORDS for p in slot.alternatives)


def fts5_query(query: list[Slot], *, every: bool = True) -> str:
    """An FTS5 MATCH expression: each word quoted (never an operator), a phrase as a phrase,
    synonyms OR-ed, the word being typed as a prefix; all slots (`every`), or any."""

    def one(slot: Slot, phrase: tuple[str, ...]) -> str:
        quoted = '"' + " ".join(phrase) + '"'
        return quoted + "*" if phrase == slot.typed else quoted

    parts = []
    for slot in query:
        options = [one(slot, p) for p in slot.alternatives]
        parts.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    return (" AND " if every else " OR ").join(parts)


def tsquery(query: list[Slot], *, every: bool = True) -> str:
    """A `to_tsquery('english', …)` text of the same slots: phrases with <->, synonyms with |,
    the word being typed with :*."""

    def one(slot: Slot, phrase: tuple[str, ...]) -> str:
        text = " <-> ".join(phrase)
        if phrase == slot.typed:
            text += ":*"
        return f"({text})" if len(phrase) > 1 else text

    parts = []
    for slot in query:
        options = [one(slot, p) for p in slot.alternatives]
        parts.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
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
