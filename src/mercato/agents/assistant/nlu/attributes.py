"""Colours, sizes, discount codes and ordinals ("the second one")."""

from __future__ import annotations

import re

from mercato.agents.assistant.nlu.found import Entity, free

COLORS = {
    "black", "white", "grey", "gray", "blue", "navy", "green", "olive", "red", "pink",
    "purple", "orange", "yellow", "brown", "beige", "cream", "sand", "sage", "terracotta",
    "khaki", "teal", "turquoise", "burgundy", "maroon", "gold", "silver", "charcoal",
    "ivory", "tan", "mint", "lilac", "lavender", "coral", "rust", "mustard", "camel",
    "multicolour", "multicolor", "light blue", "dark blue", "dark green", "light grey",
    "dark grey", "off white", "off-white", "navy blue", "sky blue", "forest green",
}  # fmt: skip
_CANONICAL_COLOR = {"gray": "grey", "multicolor": "multicolour", "off white": "off-white"}
_COLOR = re.compile(
    r"\b("
    + "|".join(sorted((re.escape(c) for c in COLORS), key=len, reverse=True))
    + r")(?:ish)?\b",
    re.IGNORECASE,
)
_LETTER_SIZES = {"xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl", "4xl"}
_WORD_SIZES = {
    "small": "Small", "medium": "Medium", "large": "Large", "extra small": "XS",
    "extra large": "XL", "extra-large": "XL", "x-large": "XL", "xx-large": "XXL",
    "single": "Single", "double": "Double", "king": "King", "queen": "Queen",
}  # fmt: skip
_SIZE_CUE = re.compile(
    r"\b(?:size|sz|sizes|waist|eu|uk|us|in an?|in|an?|i'?m an?|i am an?|i wear an?|i wear|meant|"
    r"want|need|take|get|prefer|try|swap (?:it |that )?(?:to|for)|change (?:it |that )?to|"
    r"not|or)\s*$",
    re.IGNORECASE,
)
_SIZED = re.compile(
    r"\b(?:size|sz|waist|eu|uk)\s*(\d{1,2}(?:\.5)?|xxs|xs|s|m|l|xl|xxl|xxxl|[234]xl)\b"
    r"|\b(\d{2})\s*(?:waist|w\b)",
    re.IGNORECASE,
)
_LETTER = re.compile(r"\b(xxs|xs|s|m|l|xl|xxl|xxxl|[234]xl)\b", re.IGNORECASE)
_WORD = re.compile(
    r"\b(" + "|".join(sorted(_WORD_SIZES, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_CODE_CUE = re.compile(
    r"\b(?:code|coupon|promo|voucher|discount|redeem|apply)\b[\s:=\"'-]*$", re.IGNORECASE
)
_CODE = re.compile(r"(?<![\w@.-])([A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*)(?![\w@-])")
_CODE_WORDS = {
    "code",
    "coupon",
    "promo",
    "voucher",
    "discount",
    "the",
    "my",
    "a",
    "this",
    "it",
    "is",
}
_ORDINALS = {
    "first": "1", "1st": "1", "second": "2", "2nd": "2", "third": "3", "3rd": "3",
    "fourth": "4", "4th": "4", "fifth": "5", "5th": "5", "last": "-1", "top": "1",
}  # fmt: skip
_ORDINAL = re.compile(
    r"\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)"
    r"(?=\s+(?:one|ones|item|result|product|option|link|pick|choice)\b|\s*[?.!,]?\s*$|\s+(?:please|pls|plz)\b)"
    r"|\b(?:number|no\.?|option|item|result|#)\s?([1-9])\b(?!\s*(?:item|pcs))",
    re.IGNORECASE,
)


def colors(text: str, taken: list[Entity]) -> list[Entity]:
    found: list[Entity] = []
    for m in _COLOR.finditer(text):
        if free(taken + found, m.start(1), m.end(1)):
            value = m.group(1).lower()
            found.append(Entity("color", _CANONICAL_COLOR.get(value, value), m.start(1), m.end(1)))
    return found


def sizes(text: str, taken: list[Entity]) -> list[Entity]:
    found: list[Entity] = []
    for m in _SIZED.finditer(text):
        group = 1 if m.group(1) else 2
        value = m.group(group)
        if free(taken + found, m.start(group), m.end(group)):
            found.append(Entity("size", value.upper(), m.start(group), m.end(group)))
    for m in _WORD.finditer(text):
        before = text[: m.start()]
        if m.group(1).lower() in {"single", "double", "king", "queen"} and not re.search(
            r"(size|bed|a|in)\s*$", before, re.I
        ):
            continue
        if m.group(1).lower() in {"small", "large", "medium"} and re.match(
            r"\s+(?:the|a|an|my|our|order|box|amount)\b", text[m.end() :], re.I
        ):
            continue
        if free(taken + found, m.start(), m.end()):
            found.append(Entity("size", _WORD_SIZES[m.group(1).lower()], m.start(), m.end()))
    for m in _LETTER.finditer(text):
        token = m.group(1)
        single = len(token) == 1
        cued = bool(_SIZE_CUE.search(text[: m.start()]))
        if single and not (cued or (token.isupper() and len(text.strip()) <= 20)):
            continue
        if token.lower() in {"s", "m", "l"} and not cued and not token.isupper():
            continue
        if free(taken + found, m.start(), m.end()):
            found.append(Entity("size", token.upper(), m.start(), m.end()))
    return found


def codes(text: str, taken: list[Entity]) -> list[Entity]:
    found: list[Entity] = []
    whole = text.strip()
    for m in _CODE.finditer(text):
        token = m.group(1)
        if token.lower() in _CODE_WORDS or len(token) < 4 or len(token) > 24:
            continue
        has_digit = any(c.isdigit() for c in token)
        shouting = token.isupper() and has_digit
        cued = bool(_CODE_CUE.search(text[: m.start()]))
        alone = whole == token and has_digit and any(c.isalpha() for c in token)
        if (
            (cued and (has_digit or token.isupper() or "-" in token)) or shouting or alone
        ) and free(taken + found, m.start(1), m.end(1)):
            found.append(Entity("discount_code", token.upper(), m.start(1), m.end(1)))
    return found


def ordinals(text: str, taken: list[Entity]) -> list[Entity]:
    found: list[Entity] = []
    for m in _ORDINAL.finditer(text):
        group = 1 if m.group(1) else 2
        word = m.group(group).lower()
        value = _ORDINALS.get(word, word)
        if free(taken + found, m.start(group), m.end(group)):
            found.append(Entity("ordinal", value, m.start(group), m.end(group)))
    return found
