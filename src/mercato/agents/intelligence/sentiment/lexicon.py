"""The lexicon model: VADER (its lexicon ships in the `vaderSentiment` package) with the
project's commerce words (`assets/lexicon.json`), typo and phrase handling (`text.py`), and
sarcasm markers VADER reads literally: "yeah right", "/s", "oh great", "thanks a lot",
scare quotes around praise ('"premium" leather'), and praise cut off by an ellipsis or a
dash before a complaint ("Great… broke in a day"). VADER itself handles negation ("not
good"), intensifiers ("very", "extremely", ALL CAPS, "!!!"), emoji and contrast ("but")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mercato.agents.intelligence.sentiment.text import normalise
from mercato.agents.intelligence.sentiment.vader import analyzer, claims

__all__ = ["NEUTRAL_BAND", "LexiconScore", "analyzer", "label_of", "score"]

NEUTRAL_BAND = 0.05
"""|compound| below this is neutral (VADER's own recommended threshold)."""

_SARCASM = re.compile(
    r"(?:\byeah,?\s+right\b|\byeah,?\s+sure\b|(?:^|\s)/s\b|\boh,?\s+(?:great|sure|fantastic|"
    r"wonderful|brilliant|joy|perfect|lovely)\b|\bthanks\s+a\s+lot\b|\bjust\s+what\s+i\s+"
    r"needed\b|\bwhat\s+a\s+(?:bargain|treat|surprise)\b|\bten\s+out\s+of\s+ten\s+for\b|"
    r"\bsaid\s+no\s+one\b|\bslow\s+clap\b|🙄|🙃)",
    re.IGNORECASE,
)
_CUT_OFF_PRAISE = re.compile(
    r"^\W*([a-z' ]{2,25}?)\s*(?:\.{2,}|…|[-\u2013\u2014]{1,2}\s)\s*(.+)$", re.I | re.S
)
_SCARE_QUOTES = re.compile(
    "[\"\u201c'\u2018]([^\"\u201c\u201d'\u2018\u2019]{3,30})[\"\u201d'\u2019]"
)


@dataclass(frozen=True)
class LexiconScore:
    """VADER's scores of a text after the project's handling; `sarcastic` when a marker
    turned its praise around."""

    compound: float
    positive: float
    neutral: float
    negative: float
    sarcastic: bool

    def features(self) -> list[float]:
        """What the calibration reads (`model.py`)."""
        return [self.compound, self.positive, self.negative, self.neutral, float(self.sarcastic)]


def _vader(text: str) -> dict[str, float]:
    scores: dict[str, float] = analyzer().polarity_scores(normalise(text))
    return scores


def _doubted(quoted: str) -> bool:
    """Scare quotes around praise or a seller's claim, not around a name or a quotation."""
    phrase = quoted.strip().lower()
    if len(phrase.split()) > 3:
        return False
    return _vader(phrase)["compound"] > NEUTRAL_BAND or any(
        claim in phrase.split() or claim == phrase for claim in claims()
    )


def score(text: str) -> LexiconScore:
    """The text's lexicon scores, sarcasm markers applied."""
    vader = _vader(text)
    sarcastic = False
    quoted = [q for q in _SCARE_QUOTES.findall(text) if _doubted(q)]
    if quoted:  # praise in scare quotes is not praise: score the text without it
        stripped = text
        for phrase in quoted:
            stripped = stripped.replace(phrase, "")
        vader = _vader(stripped)
        vader["compound"] = min(vader["compound"], 0.0) - 0.3 * (1 + vader["compound"]) / 2
        sarcastic = True
    cut = _CUT_OFF_PRAISE.match(text)
    if cut and _vader(cut.group(1))["compound"] > NEUTRAL_BAND:
        rest = _vader(cut.group(2))
        if rest["compound"] < -NEUTRAL_BAND:  # "Great… broke in a day"
            vader, sarcastic = rest, True
    if _SARCASM.search(text) and vader["compound"] > NEUTRAL_BAND:
        vader = {**vader, "compound": -0.8 * vader["compound"], "pos": vader["neg"],
                 "neg": vader["pos"]}  # fmt: skip
        sarcastic = True
    return LexiconScore(
        compound=max(-1.0, min(1.0, vader["compound"])),
        positive=vader["pos"],
        neutral=vader["neu"],
        negative=vader["neg"],
        sarcastic=sarcastic,
    )


def label_of(compound: float) -> str:
    """The lexicon's own label of a compound score (used per clause for aspects)."""
    if compound >= NEUTRAL_BAND:
        return "positive"
    if compound <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"
