"""The moderation checks: spam reasons (links, contact details, repetition, shouting, promo
phrases, gibberish), whole-word profanity (no Scunthorpe problem) and the cheap language
guess; real shoppers' ways of writing (typos, emoji, loanwords, other scripts) pass."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.reviews.demo import compose
from mercato.agents.reviews.moderation import language, moderation_reasons, profanity, spam_reasons

REASONS = {"link", "contact_details", "repetition", "shouting", "promotion", "gibberish"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Great stuff, more at https://deals.example.com/x", "link"),
        ("see www.bargains.biz for more", "link"),
        ("cheap copies at fakewatches.ru", "link"),
        ("mail me at anna.k@example.org for a discount", "contact_details"),
        ("call +44 7700 900123 for the same thing cheaper", "contact_details"),
        ("sooooooooo good", "repetition"),
        ("buy buy buy buy this now", "repetition"),
        ("THIS IS THE WORST THING I HAVE EVER BOUGHT IN MY LIFE", "shouting"),
        ("Nice! Use code SAVE20 at checkout", "promotion"),
        ("Click here for free money", "promotion"),
        ("qwrtzp lkjhgf mnbvcx zxcvbn", "gibberish"),
    ],
)
def test_each_kind_of_spam_is_named(text: str, reason: str) -> None:
    # given a text with one spam sign / when it is checked / then that sign is among the reasons
    assert reason in spam_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "Lovely soft fabric and the fit is très chic. Arrived quickly, would buy again.",
        "Sehr gut! Die Qualität ist super, aber etwas teuer.",
        "kawaii packaging 😍😍 and realy fast delivery, definately recommend",
        "Runs small: I'm a UK 12 and the L fits. 4/5 because the zip is stiff.",
        "とても良い商品です。梱包も丁寧でした。",
        "Wish it came in blue. Would be great if it had a pocket!",
        "OK", "NASA-grade? No. Good value for £25? Yes.",
        "Great, another zipper that broke in a week. Just what I needed 🙄",
    ],
)  # fmt: skip
def test_ordinary_reviews_are_not_spam(text: str) -> None:
    # given how shoppers write / when checked / then nothing is found
    assert moderation_reasons(text) == []


def test_profanity_is_matched_on_whole_words_only() -> None:
    # given swear words on their own and inside innocent words
    rude = "This is total SHIT and the seller is a bastard"
    innocent = "Shipped to Scunthorpe; a classic cocktail glass, assessment: Dickens would approve"
    # when checked / then only the whole words count
    assert profanity(rude) == ["bastard", "shit"]
    assert profanity(innocent) == []
    assert "profanity" in moderation_reasons(rude)
    assert moderation_reasons(innocent) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The fit is great and the quality is very good for this price", "en"),
        ("Das ist sehr gut und ich bin mit der Qualität zufrieden", "de"),
        ("Le tissu est très doux et je suis contente pour le prix", "fr"),
        ("Es muy bonito y la calidad es buena para el precio", "es"),
        ("とても良い商品です", "ja"),
        ("ok", None),
    ],
)
def test_the_language_is_guessed_cheaply_or_left_unknown(text: str, expected: str | None) -> None:
    assert language(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_known_reasons_and_the_same_answer_twice(text: str) -> None:
    # given any text / when checked twice / then the reasons are known codes, and stable
    found = spam_reasons(text)
    assert set(found) <= REASONS and len(found) == len(set(found))
    assert spam_reasons(text) == found


def test_the_demo_voices_are_clean_and_their_tone_matches_their_rating() -> None:
    # given four hundred demo reviews from a seeded generator
    rng = random.Random(7)
    made = [compose(rng) for _ in range(400)]
    # then none is held by the checks, every rating is 1-5, and the same seed writes the same
    assert all(moderation_reasons(f"{t or ''}\n{b}") == [] for _, t, b in made)
    assert {r for r, _, _ in made} == {1, 2, 3, 4, 5}
    assert [compose(random.Random(7)) for _ in range(1)] == made[:1]
    praise = [b for r, _, b in made if r == 5]
    complaints = [b for r, _, b in made if r == 1]
    assert not any("Way too expensive" in b or "broke after" in b for b in praise)
    assert not any("Worth every penny" in b or "Fits perfectly" in b for b in complaints)
