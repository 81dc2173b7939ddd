"""The words a store's questions name things with: its active products (with their options'
values, "colour": {"blue", "black"}), its categories, the competitors it watches and the
marketplaces and sources it ingests. Loaded in a few statements, bounded (`VocabularyLimits`),
through the catalog's service (its tables are its own); and the matching the router and the
LLM planner share: a name is found in a question by its words, whatever their case, plural or
a one-letter typo."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.ingest.models import Source
from mercato.agents.intelligence.pricing.models import Observation
from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class VocabularyLimits:
    products: int = 5000
    """The newest active products read (a question naming an older one is read store-wide)."""
    facts_batch: int = 500
    """Products whose options are read per statement."""
    competitors: int = 500
    option_value_chars: int = 30
    """Longer attribute values (descriptions, care notes) are no filter anyone says."""


@dataclass(frozen=True)
class ProductTerm:
    id: str
    name: str
    category_id: str | None = None
    options: dict[str, set[str]] = field(default_factory=dict)
    """Option name -> the values its active variants have, lower-cased."""
    words: tuple[str, ...] = ()
    """The name's words, normalised (`words_of`)."""


@dataclass(frozen=True)
class CategoryTerm:
    id: str
    name: str
    path: tuple[str, ...] = ()
    """Its ancestors' names and its own, root first."""
    words: tuple[str, ...] = ()


@dataclass
class Vocabulary:
    products: list[ProductTerm] = field(default_factory=list)
    categories: list[CategoryTerm] = field(default_factory=list)
    competitors: list[str] = field(default_factory=list)
    marketplaces: list[str] = field(default_factory=list)

    @cached_property
    def _options(self) -> dict[str, set[str]]:
        merged: dict[str, set[str]] = {}
        for product in self.products:
            for name, values in product.options.items():
                merged.setdefault(name, set()).update(values)
        return merged

    def option_values(self) -> dict[str, set[str]]:
        """Every option name with every value a product has for it (computed once: a
        vocabulary is not changed after it is made)."""
        return self._options

    @cached_property
    def _by_word(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for at, product in enumerate(self.products):
            for word in set(product.words) - STOP:
                index.setdefault(word, []).append(at)
        return index

    def products_sharing(self, words: Sequence[str]) -> list[ProductTerm]:
        """The products with a word of `words` in their name (typos allowed): the only
        ones a question can name, found without reading every product."""
        index = self._by_word
        found: set[int] = set()
        for word in set(words) - STOP:
            keys = [word] if len(word) < 5 else [k for k in index if close(word, k)]
            for key in keys:
                found.update(index.get(key, ()))
        return [self.products[at] for at in sorted(found)]


# -- words ----------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
_KEEP_S = ("ss", "us", "is", "ous", "ics")


def singular(word: str) -> str:
    """A word's form for matching, the same for its singular and its plural: "shoes" and
    "shoe" -> "shoe", "dresses" -> "dress", "boxes" -> "box"; "hoodies", "hoody" and
    "hoodie" -> "hoodie", "categories" and "category" -> "categorie" (a key, not English)."""
    if len(word) <= 3 or word.endswith(_KEEP_S) or word.isdigit():
        return word
    if word.endswith("ies"):
        return word[:-1]
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ie"
    if word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def words_of(text: str) -> tuple[str, ...]:
    """`text`'s words, lower-cased, without possessives, each made singular."""
    lowered = re.sub(r"['\u2019]s\b", "", text.lower())
    return tuple(singular(w) for w in _WORD.findall(lowered))


def close(a: str, b: str) -> bool:
    """Equal, or one typo apart (a letter added, dropped, changed, or two swapped) when both
    are long enough for a typo to be told from another word."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )  # fmt: skip
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def find_phrase(phrase: Sequence[str], words: Sequence[str]) -> int | None:
    """Where `phrase` starts in `words` (typos allowed per word), or None."""
    n = len(phrase)
    if n == 0:
        return None
    for start in range(len(words) - n + 1):
        if all(close(phrase[i], words[start + i]) for i in range(n)):
            return start
    return None


STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "my",
        "our",
        "in",
        "on",
        "at",
        "to",
        "with",
        "by",
        "from",
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "how",
        "what",
        "which",
        "who",
        "why",
        "when",
        "i",
        "we",
        "me",
        "us",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "all",
        "any",
        "some",
        "vs",
    ]
)


@dataclass(frozen=True)
class Found:
    """A name found in a question: what it is, and which of the question's words it used."""

    id: str
    name: str
    positions: frozenset[int]
    complete: bool
    """All the name's words were there (else: most of them)."""

    @property
    def size(self) -> int:
        return len(self.positions)


def match_products(words: Sequence[str], products: Iterable[ProductTerm]) -> list[Found]:
    """The products `words` names best: those whose every word is there (typos allowed), or
    failing that, those with at least two of their words and most of them; the best score
    only, a word spelt exactly scoring above one read through a typo ("amber" is the colour,
    not the "Ember" of "Ember Tote")."""
    best: list[Found] = []
    best_score = 0.0
    for product in products:
        keys = [w for w in product.words if w not in STOP] or list(product.words)
        found = _overlap(keys, words)
        if not found:
            continue
        complete = len(found) >= len(keys)
        if not complete and (len(found) < 2 or len(found) / len(keys) < 0.6):
            continue
        exact = sum(1 for at, word in found.items() if words[at] == word)
        score = (exact + 0.5 * (len(found) - exact)) / len(keys) + 0.01 * len(found)
        candidate = Found(product.id, product.name, frozenset(found), complete)
        if score > best_score + 1e-9:
            best, best_score = [candidate], score
        elif abs(score - best_score) <= 1e-9:
            best.append(candidate)
    return best


def _overlap(name: Sequence[str], words: Sequence[str]) -> dict[int, str]:
    """Where each of `name`'s words is in `words` (exactly, else through a typo)."""
    positions: dict[int, str] = {}
    for word in name:
        free = [i for i in range(len(words)) if i not in positions]
        at = next((i for i in free if words[i] == word), None)
        if at is None:
            at = next((i for i in free if close(word, words[i])), None)
        if at is not None:
            positions[at] = word
    return positions


def match_category(words: Sequence[str], categories: Iterable[CategoryTerm]) -> Found | None:
    """The category whose whole name is a phrase of `words`, the longest name first."""
    best: Found | None = None
    for category in categories:
        at = find_phrase(category.words, words)
        if at is None:
            continue
        found = Found(
            category.id,
            category.name,
            frozenset(range(at, at + len(category.words))),
            True,
        )
        if best is None or found.size > best.size:
            best = found
    return best


def match_name(words: Sequence[str], names: Iterable[str]) -> Found | None:
    """A competitor or marketplace named in `words`: its whole name, or its first word when
    that is distinctive (the "Amazon" of "Amazon DE")."""
    best: Found | None = None
    for name in names:
        own = words_of(name)
        at = find_phrase(own, words)
        size = len(own)
        if at is None and len(own) > 1 and len(own[0]) >= 4 and own[0] not in STOP:
            at, size = find_phrase(own[:1], words), 1
        if at is None:
            continue
        found = Found(name, name, frozenset(range(at, at + size)), size == len(own))
        if best is None or found.size > best.size:
            best = found
    return best


def match_options(
    words: Sequence[str], options: dict[str, set[str]], *, taken: frozenset[int] = frozenset()
) -> dict[str, str]:
    """Option filters named in `words`: a value as a phrase ("blue", "navy blue"), a short one
    ("m", "42") only after its option's name ("size m"); words in `taken` (a product's name)
    are not read again."""
    filters: dict[str, str] = {}
    for option, values in sorted(options.items()):
        option_words = words_of(option)
        for value in sorted(values, key=lambda v: (-len(v), v)):
            own = words_of(value)
            if not own:
                continue
            short = len(value) <= 2 or value.isdigit()
            phrase = (*option_words, *own) if short else own
            at = find_phrase(phrase, words)
            if at is None or set(range(at, at + len(phrase))) & taken:
                continue
            filters[option] = value
            break
    return filters


# -- loading ----------------------------------------------------------------------------------


async def load(uow: UnitOfWork, *, limits: VocabularyLimits | None = None) -> Vocabulary:
    """The store's vocabulary, read through the catalog's service and the intelligence
    tables: a few statements whatever the store's size (at most `limits.products`)."""
    limits = limits or VocabularyLimits()
    words = await catalog.catalogue_words(uow)
    chosen = words.products[: limits.products]
    names = {category_id: name for category_id, name, _slug in words.categories}
    paths: dict[str, tuple[str, ...]] = {}
    products: list[ProductTerm] = []
    for start in range(0, len(chosen), limits.facts_batch):
        batch = [product_id for product_id, _name in chosen[start : start + limits.facts_batch]]
        facts = await catalog.product_facts(uow, batch)
        for product_id in batch:
            fact = facts.get(product_id)
            if fact is None:
                continue
            _record_path(paths, fact.category_path, names)
            products.append(
                ProductTerm(
                    id=fact.product_id,
                    name=fact.name,
                    category_id=fact.category_id,
                    options=_options(fact.attribute_pairs, limits.option_value_chars),
                    words=words_of(fact.name),
                )
            )
    categories = [
        CategoryTerm(id=i, name=name, path=paths.get(i, (name,)), words=words_of(name))
        for i, name, _slug in words.categories
    ]
    return Vocabulary(
        products=products,
        categories=categories,
        competitors=await _competitors(uow, limits.competitors),
        marketplaces=await _marketplaces(uow),
    )


def _record_path(
    paths: dict[str, tuple[str, ...]], path: str | None, names: dict[str, str]
) -> None:
    """Every category on `path` (`/a/b/`) with its names from the root."""
    ids = [part for part in (path or "").split("/") if part]
    for depth, category_id in enumerate(ids):
        if category_id not in paths:
            paths[category_id] = tuple(names.get(i, "") for i in ids[: depth + 1] if i in names)


def _options(pairs: Iterable[tuple[str, str]], max_chars: int) -> dict[str, set[str]]:
    options: dict[str, set[str]] = {}
    for name, raw in pairs:
        value = raw.strip().lower()
        if value and len(value) <= max_chars and len(value.split()) <= 3:
            options.setdefault(name.strip().lower(), set()).add(value)
    return options


async def _competitors(uow: UnitOfWork, limit: int) -> list[str]:
    observed = await uow.session.scalars(
        select(Observation.competitor).distinct().order_by(Observation.competitor).limit(limit)
    )
    names = {name for name in observed if name}
    for settings in await uow.session.scalars(
        select(Source.settings).where(Source.kind == "competitor")
    ):
        if isinstance(settings, dict) and settings.get("competitor"):
            names.add(str(settings["competitor"]))
    return sorted(names, key=str.lower)


async def _marketplaces(uow: UnitOfWork) -> list[str]:
    """The names of the sources that are not a competitor's site (marketplaces, feeds)."""
    rows = await uow.session.scalars(
        select(Source.name).where(Source.kind != "competitor").order_by(Source.name)
    )
    return list(dict.fromkeys(rows))
