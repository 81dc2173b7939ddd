"""The router's phrasings: the words that name each intent ("am I cheaper", "what do customers
say", "will I run out"), the topic words read when no phrasing matches, and the words that ask
for depth, a cause or a follow-up. Patterns run on the question lower-cased and normalised
(`router.normalised`)."""

from __future__ import annotations

import re

from mercato.agents.intelligence.ask.scope import Intent

_I = Intent
PHRASES: dict[Intent, tuple[str, ...]] = {
    _I.PRICE_POSITION: (
        r"how (?:are|is|do) (?:my|our|the) (?:\w+ )?pric",
        r"\bam i (?:\w+ )?(?:cheaper|more expensive|too expensive|expensive|priced|competitive)",
        r"\bare (?:we|my|our|the) (?:\w+ ){0,3}(?:cheaper|dearer|more expensive|too expensive|"
        r"overpriced|underpriced|priced|competitive)",
        r"\bpric(?:e|es|ed|ing) (?:\w+ )?(?:compared?|comparison|vs|versus|against|position|"
        r"gap|difference|competitive)",
        r"\b(?:over|under) ?pric",
        r"\bprice gap",
        r"\b(?:cheaper|dearer|more expensive|pricier) than\b",
        r"\bprice position",
        r"\bcompetitive (?:on )?pric",
        r"\b(?:my|our) pric(?:e|es|ing) (?:too )?(?:high|low|right|ok)",
        r"\bwhere do (?:i|we) stand on price",
        r"\bcompare (?:my|our) pric",
    ),
    _I.COMPETITOR_MOVES: (
        r"\bcompetitors? (?:\w+ ){0,3}(?:changed?|dropped|drop|raised?|cut|lowered|increased?|"
        r"moved?|moves|doing|done|up to|reduced?)",
        r"\bwhat (?:are|is|have|has) (?:my |our |the )?competitors?",
        r"\bcompetitors? (?:\w+ )?(?:price|pricing) (?:changes?|moves?|drops?|increases?)",
        r"\bpromotions?\b",
        r"\bpromos?\b",
        r"\bundercut",
        r"\bprice war",
        r"\bcompetition (?:is )?doing",
        r"\b(?:any|did|has|have) (?:\w+ )?competitors? (?:\w+ )?(?:change|drop|raise|cut|move)",
    ),
    _I.SENTIMENT: (
        r"\bwhat do (?:my |our |the )?(?:customers|people|buyers|shoppers|clients|users) "
        r"(?:\w+ )?(?:think|say|feel|like|hate|say about)",
        r"\breviews?\b",
        r"\breviewers?\b",
        r"\bcomplain",
        r"\bsentiment",
        r"\bratings?\b",
        r"\brated\b",
        r"\bfeedback",
        r"\bstar ratings?",
        r"\b(?:customers|people|buyers|shoppers) (?:\w+ )?(?:like|love|hate|dislike|unhappy|happy)",
        r"\b(?:un)?happy with",
        r"\bsatisf",
        r"\bopinions?\b",
    ),
    _I.FORECAST: (
        r"\bforecast",
        r"\bhow (?:many|much) (?:\w+ ){0,4}(?:will|would|could|shall|can) (?:i|we) sell",
        r"\bwill (?:i|we) sell",
        r"\bdemand (?:\w+ )?(?:next|coming|upcoming|ahead|in the coming|for next|over the next)",
        r"\b(?:next|coming) (?:week|month|quarter|year) (?:demand|sales)",
        r"\b(?:sales|demand) (?:\w+ )?next (?:week|month|quarter|\d+)",
        r"\bpredict",
        r"\bprojection",
        r"\bexpected (?:sales|demand)",
        r"\bfuture (?:sales|demand)",
        r"\bexpect to sell",
    ),
    _I.STOCK_RISK: (
        r"\bruns? out\b",
        r"\brunning out",
        r"\bran out\b",
        r"\bout of stock",
        r"\bstock ?outs?\b",
        r"\bsell(?:ing)? out\b",
        r"\bsold out\b",
        r"\boverstock",
        r"\btoo (?:much|many) (?:\w+ )?(?:stock|inventory|units)",
        r"\bexcess (?:stock|inventory)",
        r"\bre ?order",
        r"\brestock",
        r"\bstock (?:levels?|risk|cover)",
        r"\binventory (?:levels?|risk)",
        r"\b(?:enough|low) (?:stock|inventory)",
        r"\bhow long will (?:\w+ ){0,3}(?:stock|inventory|last)",
    ),
    _I.SALES_TREND: (
        r"\b(?:sales|revenue|orders|turnover) (?:\w+ ){0,2}(?:drop|dropped|dropping|fall|fell|"
        r"falling|down|declin|grow|grew|growing|growth|up|increas|rise|rose|rising|trend|doing|"
        r"going|performance|perform|slump|dip|dipped)",
        r"\bwhy (?:did|are|is|have|has|do) (?:\w+ ){0,3}(?:sales|revenue|orders|selling|sell)",
        r"\bbest ?sell",
        r"\btop (?:\d+ )?(?:sell|products|items)",
        r"\bworst (?:sell|products|performing)",
        r"\brevenue",
        r"\bturnover",
        r"\bhow (?:are|is|were|was|did) (?:\w+ ){0,4}(?:selling|sell|sales|doing)\b",
        r"\bhow (?:many|much) (?:\w+ ){0,3}(?:did|have) (?:i|we) sell",
        r"\b(?:units )?sold\b",
        r"\bselling (?:well|badly|poorly|slow)",
        r"\bsales (?:figures|numbers|trend|report)",
        r"\bmy sales\b",
        r"\bour sales\b",
    ),
    _I.ADVICE: (
        r"\bwhat (?:should|can|could|do) (?:i|we) (?:\w+ )?do\b",
        r"\brecommend",
        r"\bhow (?:can|could|do|should|might) (?:i|we) (?:\w+ ){0,2}(?:improve|increase|boost|fix|"
        r"grow|get|raise|sell more|win|beat|reduce|stop|avoid)",
        r"\bactions?\b",
        r"\badvi[cs]e",
        r"\bsuggest",
        r"\bnext steps?",
        r"\bwhat to do\b",
        r"\bhelp me (?:\w+ )?(?:improve|increase|fix|sell|boost)",
        r"\bshould (?:i|we) (?:lower|raise|cut|change|reduce|increase|drop|discount|reprice|"
        r"restock|reorder|stop)",
        r"\bwhat (?:can|could) be (?:done|improved)",
        r"\bideas? (?:to|for)",
    ),
}
COMPILED = {intent: tuple(re.compile(p) for p in ps) for intent, ps in PHRASES.items()}

CHANGE = re.compile(
    r"\b(?:chang\w*|drop\w*|rais\w*|cut\w*|lower\w*|increas\w*|reduc\w*|undercut\w*|"
    r"promo\w*|discount\w*|sale price|moves?|moved)\b"
)
COMPETITOR = re.compile(r"\bcompetit\w*")
PRICE = re.compile(r"\bpric\w*")
COMPARING = re.compile(
    r"\b(?:compar\w*|vs|versus|against|than|gap|positioned|position|stand|match)\b"
)
PEOPLE_SAY = r"\b(?:people|customers|ppl|shoppers|buyers)\b.*\b(?:saying|say|think)\b"
TOPICS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (_I.PRICE_POSITION, PRICE),
    (_I.SENTIMENT, re.compile(PEOPLE_SAY)),
    (_I.FORECAST, re.compile(r"\bdemand\b")),
    (_I.STOCK_RISK, re.compile(r"\b(?:stock|inventory)\b")),
    (_I.SALES_TREND, re.compile(r"\b(?:sales|revenue|sold|turnover)\b")),
)
"""A question no phrasing matched is read by its topic words: "jacket sales in March" is
about the sales trend, "demand for hoodies" about a forecast."""

DEEP = re.compile(
    r"\b(?:in depth|deep ?dive|deep analysis|thorough(?:ly)?|fresh|full analysis|"
    r"detailed|in detail|dig deep|dig into|comprehensive|up to date analysis)\b"
)
WHY = re.compile(r"\bwhy\b|\bwhat (?:caused|happened|is causing|explains)\b|\breasons?\b")
FOLLOW_UP = re.compile(
    r"^(?:(?:and|also|ok|okay|now|then|so|but|hmm)\b|what about\b|how about\b|same\b|"
    r"what of\b|and what\b|why\b|only\b|just\b|for the\b|what if\b)"
)
KEYWORDS = frozenset(
    w
    for ps in PHRASES.values()
    for p in ps
    for w in re.findall(r"[a-z]{5,}", re.sub(r"\\[a-zA-Z]", " ", p))
) | frozenset(
    [
        "forecast",
        "competitor",
        "competitors",
        "reviews",
        "complaints",
        "sentiment",
        "revenue",
        "overstock",
        "stockout",
        "promotions",
        "recommend",
        "overpriced",
        "cheaper",
        "expensive",
        "customers",
        "demand",
        "selling",
        "sellers",
        "ratings",
        "inventory",
        "restock",
        "reorder",
    ]
)
"""The phrasings' words: a question's word one typo away from one is read as it."""
