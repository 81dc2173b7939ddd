"""The words a question and an article meet on, and a ticket's category guessed from them."""

from __future__ import annotations

import pytest

from mercato.agents.support.categories import guess
from mercato.agents.support.statuses import Category
from mercato.agents.support.words import stem, terms


@pytest.mark.parametrize(
    ("forms", "stemmed"),
    [
        (["return", "returns", "returned", "returning"], "return"),
        (["ship", "ships", "shipped", "shipping"], "ship"),
        (["arrive", "arrives", "arrived"], "arriv"),
        (["delivery", "deliveries"], "deliver"),
        (["cancel", "cancelled", "cancelling"], "cancel"),
        (["address", "addresses"], "address"),
    ],
)
def test_the_forms_of_a_word_meet_on_one_stem(forms: list[str], stemmed: str) -> None:
    assert {stem(word) for word in forms} == {stemmed}


def test_a_questions_terms_leave_out_what_says_nothing_and_fold_accents() -> None:
    assert terms("When will my parcel ARRIVE?") == ["parcel", "arriv"]
    assert terms("Crème brûlée, crème") == ["crem", "brule"]
    assert terms("how do I do it") == []
    assert stem("30") == "30" and stem("bag") == "bag"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("My parcel has not arrived", Category.SHIPPING),
        ("I want to send it back for a refund", Category.RETURNS),
        ("My card was charged twice", Category.PAYMENT),
        ("I cannot reset my password", Category.ACCOUNT),
        ("Please cancel my order", Category.ORDER),
        ("Is this jacket available in another colour?", Category.PRODUCT),
        ("Hello there", Category.OTHER),
    ],
)
def test_a_category_is_guessed_from_the_words(text: str, category: Category) -> None:
    assert guess(text) == category
