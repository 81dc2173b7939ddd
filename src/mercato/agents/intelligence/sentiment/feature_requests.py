"""Feature requests in reviews ("wish it had a timer", "would be nice if it came in blue",
"please add a longer cable", "should come in more sizes"), extracted and ranked by how many
reviews ask for the same thing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_ASK = re.compile(
    r"\b(?:i\s+)?wish(?:ed)?\s+(?:it|they|this|there)\s+(?:had|has|have|was|were|came\s+with|"
    r"made\s+(?:it|them|one)|offered|sold|would\s+(?:have|come\s+with|include))\s+(?P<a>[^.!?;\n]+)"
    r"|\bif\s+only\s+(?:it|they)\s+(?:had|came\s+with|was|were)\s+(?P<b>[^.!?;\n]+)"
    r"|\bwould\s+(?:be|have\s+been)\s+(?:nice|great|good|better|helpful|handy|perfect)\s+"
    r"(?:if|to\s+have|with)\s+(?P<c>[^.!?;\n]+)"
    r"|\bplease\s+(?:add|make|include|bring\s+back|consider)\s+(?P<d>[^.!?;\n]+)"
    r"|\b(?:it|they|this)\s+should\s+(?:come\s+(?:in|with)|have|include|offer)\s+"
    r"(?P<e>[^.!?;\n]+)"
    r"|\b(?:it|they)\s+(?:needs?|could\s+use)\s+(?:a|an|more|better|some)\s+(?P<f>[^.!?;\n]+)",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:it|they|there|you)\s+(?:had|has|have|came|come|could|was|were|would)\s+"
    r"(?:with\s+|be\s+)?|^(?:a|an|the|some|more|an\s+option\s+(?:for|to|of))\s+",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"\s+(?:too|as\s+well|please|though|instead)$|\s*(?:,|\bbut\b).*$", re.I)
MAX_WORDS = 8


@dataclass(frozen=True)
class RankedRequest:
    request: str
    count: int
    examples: list[str]
    """Up to three reviews' ids that ask for it."""


def requests_in(text: str) -> list[str]:
    """The feature requests a text makes, normalised (lower case, no leading "it had a",
    at most MAX_WORDS words), each once."""
    found: list[str] = []
    for match in _ASK.finditer(text):
        phrase = next(g for g in match.groups() if g is not None).strip()
        phrase = _TRAILING.sub("", phrase.lower())
        for _ in range(3):
            phrase = _LEADING.sub("", phrase).strip()
        phrase = " ".join(phrase.split()[:MAX_WORDS]).strip(" ,:-")
        if phrase and phrase not in found:
            found.append(phrase)
    return found


def rank(asked: Iterable[tuple[str, list[str]]], *, limit: int = 20) -> list[RankedRequest]:
    """From (review id, its requests), each request with how many reviews make it, most
    asked first (ties: alphabetical)."""
    by_request: dict[str, list[str]] = {}
    for review_id, requests in asked:
        for request in dict.fromkeys(requests):
            by_request.setdefault(request, []).append(review_id)
    ranked = sorted(by_request.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [RankedRequest(r, len(ids), ids[:3]) for r, ids in ranked[:limit]]
