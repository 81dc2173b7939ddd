"""What a shopper names in the store's catalogue, typos tolerated: a run of words that the
catalogue's product and category names are made of ("merino hodie" → "merino hoodie"). Each
word is looked up exactly, then by its plural or singular, then within one edit (two for
long words) through a table of deletions (SymSpell's idea), so a lookup costs a few
dictionary reads whatever the catalogue's size. A run that is a whole product's name gives
that product's id; one that is a category's name, the category."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from mercato.agents.assistant.nlu.found import Entity, free
from mercato.agents.assistant.nlu.text import Token, tokens

STOP = {
    "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "with", "my", "your", "it",
    "is", "are", "i", "me", "you", "this", "that", "these", "those", "one", "ones", "some",
    "any", "do", "have", "has", "no", "not", "yes", "please", "pls", "can", "could", "want",
    "need", "add", "cart", "basket", "bag", "order", "size", "price", "show", "find", "get",
    "buy", "looking", "look", "like", "more", "less", "than", "under", "over", "about", "by",
    "at", "from", "what", "which", "how", "much", "many", "new", "set", "pair", "box", "item",
    "items", "product", "products", "stuff", "thing", "things", "something", "other",
    "there", "here", "up", "out", "off", "all", "so", "just", "only", "also", "too", "very",
    "still", "be", "was", "were", "will", "would", "should", "did", "does", "go", "make",
    "take", "put", "send", "back", "return", "refund", "code", "range", "our", "we", "us",
    "they", "them", "he", "she", "his", "her", "their", "its", "im", "i'm", "u", "ur", "x",
}  # fmt: skip
_NUMBERED = re.compile(r"\bno\.?\s*\d+\b", re.IGNORECASE)


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment)."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


def _allowed(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _words(name: str) -> list[str]:
    return [t.text for t in tokens(_NUMBERED.sub(" ", name)) if not t.text.isdigit()]


@dataclass
class Gazetteer:
    words: dict[str, str] = field(default_factory=dict)
    """Each known word (and its singular) → the word as the catalogue spells it."""
    deletions: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    """A product's name's words, joined → its id."""
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)
    """A category's name's words (singular too) → (id, name)."""
    product_words: set[str] = field(default_factory=set)
    common: set[str] = field(default_factory=set)
    """Words in so many names that alone they name nothing in particular."""

    @classmethod
    def build(
        cls, products: Iterable[tuple[str, str]], categories: Iterable[tuple[str, str, str]]
    ) -> Gazetteer:
        g = cls()
        counts: Counter[str] = Counter()
        total = 0
        for product_id, name in products:
            words = _words(name)
            total += 1
            counts.update(set(words))
            g.names.setdefault(" ".join(words), product_id)
            g.product_words.update(words)
            for word in words:
                g._add(word)
        for category_id, name, _slug in categories:
            words = _words(name)
            for word in words:
                g._add(word)
            key = " ".join(words)
            g.categories[key] = (category_id, name)
            g.categories.setdefault(" ".join(singular(w) for w in words), (category_id, name))
        g.common = {w for w, n in counts.items() if total >= 20 and n > total * 0.3}
        return g

    def _add(self, word: str) -> None:
        if word in STOP or len(word) < 2:
            return
        for form in {word, singular(word)}:
            self.words.setdefault(form, word)
            if len(form) >= 4:
                for deleted in _deletes(form, _allowed(form)):
                    self.deletions.setdefault(deleted, set()).add(form)

    def lookup(self, typed: str) -> str | None:
        """The catalogue's word a typed word means, or None."""
        if typed in STOP:
            return None
        forms = list(
            dict.fromkeys([typed, singular(typed), typed[:-1] if typed.endswith("s") else typed])
        )
        for form in forms:
            if form in self.words:
                return form
        scored: list[tuple[int, str]] = []
        for form in forms:
            limit = _allowed(form)
            if not limit:
                continue
            candidates = {c for d in _deletes(form, limit) for c in self.deletions.get(d, ())}
            scored += [
                (d, c) for c in candidates if (d := _distance(form, c)) <= min(limit, _allowed(c))
            ]
        return min(scored)[1] if scored else None

    def entities(self, text: str, taken: list[Entity]) -> list[Entity]:
        found: list[Entity] = []
        run: list[tuple[Token, str]] = []
        for token in [*tokens(text), None]:
            word = None
            if (
                token is not None
                and free(taken, token.start, token.end)
                and not token.text.isdigit()
            ):
                word = self.lookup(token.text)
            if word is not None and token is not None:
                run.append((token, word))
                continue
            if run:
                found.extend(self._mention(text, run))
                run = []
        return found

    def _mention(self, text: str, run: list[tuple[Token, str]]) -> list[Entity]:
        start, end = run[0][0].start, run[-1][0].end
        words = [w for _, w in run]
        key = " ".join(words)
        category = self.categories.get(key) or self.categories.get(
            " ".join(singular(w) for w in words)
        )
        if category is not None and not (
            set(words) & self.product_words
            and len(words) == 1
            and singular(words[0]) in self.product_words
        ):
            return [
                Entity("category", category[1].lower(), start, end, {"category_id": category[0]})
            ]
        if all(w in self.common for w in words):
            return []
        extra = {"product_id": self.names[key]} if key in self.names else {}
        return [Entity("product", key, start, end, extra)]
