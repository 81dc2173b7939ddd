"""Checks a review's text before it is shown: spam (links, contact details, repeated
characters or words, shouting, promotional phrases, gibberish) and profanity (a small word
list matched on whole words, so "Scunthorpe", "classic" or "assessment" pass). Clean
reviews publish at once; a review with any finding waits for staff.

Pure functions of the text: the intelligence agent's spam filter imports `spam_reasons`."""

from __future__ import annotations

import itertools
import re
import unicodedata

URL = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]{2,}\.(?:com|net|org|io|ru|cn|biz|info|xyz|shop|top)\b"
)
EMAIL = re.compile(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b")
PHONE = re.compile(r"(?<![\w.])\+?\d(?:[\s().-]?\d){8,14}(?!\w)")
REPEATED_CHAR = re.compile(r"(.)\1{6,}", re.DOTALL)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
PROMO = (
    "buy now",
    "click here",
    "discount code",
    "promo code",
    "coupon code",
    "free money",
    "make money",
    "work from home",
    "limited offer",
    "visit my",
    "check out my",
    "follow me",
    "dm me",
    "whatsapp",
    "telegram",
    "earn $",
    "cheap pills",
    "best price guaranteed",
    "use code",
)
PROFANITY = frozenset(
    {
        "fuck", "fucking", "fucked", "fucker", "motherfucker", "shit", "shitty", "bullshit",
        "bitch", "bastard", "asshole", "dick", "cunt", "wanker", "twat", "prick", "slut",
        "whore", "scheisse", "scheiße", "merde", "putain", "mierda", "puta", "cazzo", "kurwa",
    }
)  # fmt: skip
"""Whole words only: a word inside another ("Scunthorpe", "cocktail", "dickens") is not one."""
VOWELS = set("aeiouyàáâäãåèéêëìíîïòóôöõùúûüæøœ")
SHOUT_MIN_LETTERS = 20
SHOUT_SHARE = 0.7


def spam_reasons(text: str) -> list[str]:
    """Why `text` looks like spam, as stable reason codes (empty: it does not)."""
    reasons: list[str] = []
    if URL.search(text):
        reasons.append("link")
    if EMAIL.search(text) or PHONE.search(text):
        reasons.append("contact_details")
    if REPEATED_CHAR.search(text) or _repeated_words(text):
        reasons.append("repetition")
    if _shouting(text):
        reasons.append("shouting")
    lowered = unicodedata.normalize("NFKC", text).casefold()
    if any(phrase in lowered for phrase in PROMO):
        reasons.append("promotion")
    if _gibberish(text):
        reasons.append("gibberish")
    return reasons


def profanity(text: str) -> list[str]:
    """The listed swear words `text` holds as whole words (case and accents as written)."""
    found = {w for w in (m.group().casefold() for m in WORD.finditer(text)) if w in PROFANITY}
    return sorted(found)


def moderation_reasons(text: str) -> list[str]:
    """Every finding that sends a review to the queue: spam reasons, then `profanity`."""
    reasons = spam_reasons(text)
    if profanity(text):
        reasons.append("profanity")
    return reasons


def _repeated_words(text: str) -> bool:
    """The same word four times running, or one word being most of a longer text."""
    words = [w.casefold() for w in WORD.findall(text)]
    run = 1
    for before, word in itertools.pairwise(words):
        run = run + 1 if word == before else 1
        if run >= 4:
            return True
    if len(words) >= 12:
        top = max(words.count(w) for w in set(words))
        return top / len(words) > 0.4 and len(set(words)) < len(words) / 3
    return False


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha() and (c.isupper() or c.islower())]
    if len(letters) < SHOUT_MIN_LETTERS:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= SHOUT_SHARE


def _gibberish(text: str) -> bool:
    """Mostly long words without vowels or with long consonant runs (keyboard mashing).
    Only Latin-script words are judged: other scripts are not gibberish for lacking vowels."""
    words = [w for w in WORD.findall(text) if len(w) >= 5 and all(_latin(c) for c in w)]
    if len(words) < 2:
        return False
    odd = sum(1 for w in words if _mashed(w.casefold()))
    return odd / len(words) >= 0.5


def _latin(char: str) -> bool:
    return "LATIN" in unicodedata.name(char, "")


def _mashed(word: str) -> bool:
    vowels = sum(c in VOWELS for c in word)
    if vowels == 0:
        return True
    run = longest = 0
    for c in word:
        run = 0 if c in VOWELS else run + 1
        longest = max(longest, run)
    return longest >= 5 or vowels / len(word) < 0.15


STOPWORDS = {
    "en": {"the", "and", "is", "it", "this", "was", "for", "with", "not", "very", "but", "my"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "sehr", "ich", "mit", "es", "gut", "ein"},
    "fr": {"le", "la", "les", "et", "est", "très", "pas", "je", "un", "une", "avec", "pour"},
    "es": {"el", "la", "los", "y", "es", "muy", "pero", "con", "para", "una", "que", "no"},
    "it": {"il", "la", "e", "è", "molto", "non", "con", "per", "una", "che", "sono", "ma"},
    "nl": {"de", "het", "en", "is", "niet", "zeer", "een", "met", "voor", "maar", "heel", "ik"},
}


def language(text: str) -> str | None:
    """A cheap guess of the text's language from its commonest small words (None when too
    short or unclear; Japanese, Chinese, Korean, Cyrillic, Arabic by script)."""
    for lang, start, end in (("ja", 0x3040, 0x30FF), ("ko", 0xAC00, 0xD7AF), ("ru", 0x0400, 0x04FF),
                             ("ar", 0x0600, 0x06FF), ("zh", 0x4E00, 0x9FFF)):  # fmt: skip
        if sum(start <= ord(c) <= end for c in text) >= 3:
            return lang
    words = [w.casefold() for w in WORD.findall(text)]
    if len(words) < 3:
        return None
    scores = {lang: sum(w in common for w in words) for lang, common in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 2 or ranked[0] == ranked[1]:
        return None
    return best
