"""Messages that try to steer the assistant rather than shop: instructions to ignore its
rules, role-play as an unrestricted system, requests for other shoppers' data, prices set
to nothing, injection strings. They are out of scope whatever the classifier leans to, and
they never act, not even as a "yes" to a pending confirmation."""

from __future__ import annotations

import re

_MANIPULATION = re.compile(
    "|".join(
        [
            r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules|prompts?|guidelines|policy|policies|restrictions)\b",
            r"\bsystem\s*prompt\b|\b(?:reveal|print|show|repeat)\b.{0,20}\b(?:your|the)\s+(?:prompt|instructions|rules)\b",
            r"\b(?:developer|god|admin|debug)\s+mode\b|\bjail\s?break\b|(?-i:\bDAN\b)",
            r"\byou\s+are\s+now\b|\bpretend\s+(?:to\s+be|you(?:'re|\s+are))\b|\bact\s+as\s+(?:an?\s+|the\s+|my\s+)?(?:admin|developer|unrestricted|hacker|system|root)",
            r"\b(?:admin|system|root)\s+(?:override|access|command)\b|\bi\s*(?:'m|\s+am)\s+(?:the|an?)\s+(?:admin|administrator|developer|owner)\b",
            r"^\s*(?:system|admin|assistant)\s*:",
            r";\s*drop\s+table|<\s*script|\bunion\s+select\b|'\s*or\s+'?1'?\s*=\s*'?1|\{\{.*\}\}|\.\./\.\./|\bselect\s+\*\s+from\b",
            r"\b(?:other|all|every|another|someone\s+else'?s?)\s+(?:customers?|users?|people|shoppers?|members?)'?s?\s+(?:orders?|e-?mails?|addresses|data|cards?|passwords?|details|accounts?)",
            r"\b(?:make|set|change|put)\b.{0,30}\b(?:price|prices|total|cost)\b.{0,20}\b(?:0|zero|free|nothing|one\s+cent|1\s+cent)\b",
            r"\b100\s?%\s*(?:off|discount)\b|\b(?:give|generate|make|create|issue)\s+(?:me\s+)?(?:a\s+|an\s+)?(?:free|unlimited|100\s?%|admin|secret)\s+(?:discount|coupon|promo|voucher|code)",
            r"\b(?:mark|set)\b.{0,20}\b(?:order|it|everything)\b.{0,10}\bas\s+paid\b|\brefund\s+(?:every|all)\s+orders?\b",
        ]
    ),
    re.IGNORECASE,
)


def steering(text: str) -> bool:
    """Whether the message tries to steer the assistant (see the module's docstring)."""
    return bool(_MANIPULATION.search(text))


_ELSEWHERE = re.compile(
    r"\b(?:my|an?|the|from|on|at|with|via|through|in)\s+(?:"
    r"amazon|ebay|etsy|walmart|target|costco|best\s+buy|ikea|aliexpress|alibaba|temu|shein|"
    r"zalando|asos|wayfair|netflix|spotify|disney\+?|hulu|youtube|uber|lyft|doordash|"
    r"deliveroo|just\s+eat|grubhub|instacart|airbnb|booking\.com|expedia|verizon|at&t|"
    r"t-mobile|vodafone|comcast|xfinity|steam|playstation|xbox|nintendo|tiktok|instagram|"
    r"facebook|twitter|whatsapp|gmail|outlook)\b",
    re.IGNORECASE,
)


def elsewhere(text: str) -> bool:
    """Whether the message is about another company's orders, accounts or services ("my
    amazon package", "cancel my spotify subscription"): not this shop's to act on."""
    return bool(_ELSEWHERE.search(text))
