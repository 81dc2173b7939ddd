"""A ticket's category when its opener gives none: the category whose words its subject and
message use most ("my parcel has not arrived" → shipping), else `other`. Staff correct it."""

from __future__ import annotations

from mercato.agents.support.statuses import Category
from mercato.agents.support.words import terms

WORDS: dict[Category, frozenset[str]] = {
    category: frozenset(terms(text))
    for category, text in {
        Category.RETURNS: "return returns send back refund exchange wrong size faulty damaged",
        Category.SHIPPING: "shipping delivery parcel package arrive arrived tracking courier "
        "carrier late lost address",
        Category.PAYMENT: "payment paid charge charged card paypal invoice declined billing "
        "authorisation",
        Category.ORDER: "order ordered cancel cancellation confirmation number checkout",
        Category.ACCOUNT: "account password login sign email reset profile",
        Category.PRODUCT: "product size sizing colour color material stock available quality",
    }.items()
}


def guess(text: str) -> Category:
    found = set(terms(text))
    best, hits = Category.OTHER, 0
    for category, words in WORDS.items():  # in order: the first of a tie wins
        count = len(found & words)
        if count > hits:
            best, hits = category, count
    return best
