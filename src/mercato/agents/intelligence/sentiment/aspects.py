"""Aspect-level sentiment: which aspects of a purchase a review speaks of, each judged by the
clauses that name it ("love the colour but delivery took forever": appearance positive,
delivery negative). Keywords per aspect; a clause's opinion is the lexicon's, turned around
when the whole review is sarcastic."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mercato.agents.intelligence.sentiment import lexicon
from mercato.agents.intelligence.sentiment.text import clauses

KEYWORDS: dict[str, tuple[str, ...]] = {
    "price": ("price", "priced", "cost", "costs", "expensive", "overpriced", "pricey", "cheap",
              "affordable", "value", "money", "bargain", "worth", "penny", "pennies", "€", "$",
              "£"),
    "quality": ("quality", "build", "built", "made", "material", "materials", "fabric",
                "stitching", "seams", "craftsmanship", "flimsy", "sturdy", "solid", "plastic",
                "leather", "finish", "defective", "faulty", "junk", "rubbish"),
    "appearance": ("colour", "color", "colours", "colors", "look", "looks", "design",
                   "style", "pretty", "beautiful", "gorgeous", "ugly", "elegant", "photos",
                   "pictured"),
    "size and fit": ("size", "sizes", "sizing", "fit", "fits", "fitted", "fitting", "tight",
                     "loose", "length", "width", "narrow", "too_small", "too_big", "too_tight",
                     "too_short", "too_long", "too_loose"),
    "delivery": ("delivery", "delivered", "shipping", "shipped", "arrived", "arrival",
                 "courier", "driver", "parcel", "dispatch", "dispatched", "postage", "transit",
                 "took_forever", "never_arrived"),
    "service": ("service", "support", "seller", "staff", "refund", "refunded", "replacement",
                "reply", "replied", "responded", "response", "helpful", "unhelpful", "rude",
                "contacted", "emails", "ignored", "warranty", "company"),
    "packaging": ("packaging", "packaged", "box", "boxes", "wrapped", "wrapping", "packed",
                  "package", "well_packed", "bubble"),
    "durability": ("lasted", "lasts", "lasting", "durable", "broke", "broken", "breaks",
                   "wear", "worn", "died", "stopped_working", "fell_apart", "falls_apart",
                   "kaput", "snapped", "cracked", "durability"),
    "usability": ("easy", "intuitive", "setup", "instructions", "manual", "controls", "app",
                  "assembly", "assemble", "install", "installation", "user-friendly",
                  "complicated", "confusing", "fiddly", "usability"),
}  # fmt: skip
ASPECTS = tuple(KEYWORDS)

_TOKEN = re.compile(r"[a-z_\-']+|[€$£]")


@dataclass(frozen=True)
class AspectOpinion:
    aspect: str
    label: str
    polarity: float


def mentioned(clause: str) -> list[str]:
    """The aspects a clause names, in ASPECTS order."""
    from mercato.agents.intelligence.sentiment.text import normalise

    tokens = set(_TOKEN.findall(normalise(clause).lower()))
    return [aspect for aspect, words in KEYWORDS.items() if tokens.intersection(words)]


def opinions(text: str, *, sarcastic: bool = False) -> list[AspectOpinion]:
    """Each aspect the text names, with the mean polarity of the clauses naming it."""
    found: dict[str, list[float]] = {}
    for clause in clauses(text):
        named = mentioned(clause)
        if not named:
            continue
        polarity = lexicon.score(clause).compound
        if sarcastic and polarity > 0:
            polarity = -polarity
        for aspect in named:
            found.setdefault(aspect, []).append(polarity)
    result = []
    for aspect in ASPECTS:
        if aspect in found:
            polarity = round(sum(found[aspect]) / len(found[aspect]), 4)
            result.append(AspectOpinion(aspect, lexicon.label_of(polarity), polarity))
    return result
