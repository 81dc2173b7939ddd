"""The served model on the cases the brief names: plain praise and complaints, negation,
intensifiers, emoji, typos, sarcasm markers, contrast, and clause-level aspects."""

from __future__ import annotations

import pytest

from mercato.agents.intelligence.sentiment import lexicon
from mercato.agents.intelligence.sentiment.model import analyse, model


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I love it, works perfectly", "positive"),
        ("Terrible, broke after a day and support ignored me", "negative"),
        ("Not bad at all", "positive"),
    ],
)
def test_the_smoke_sentences(text: str, label: str) -> None:
    # when the smoke script's sentences are analysed
    [result] = analyse([text])
    # then they get the labels it expects, with a polarity of that sign
    assert result.label == label
    assert (result.polarity > 0) is (label == "positive")


def test_negation_turns_praise_and_complaint_around() -> None:
    # given a word and its negation
    good, not_good = (lexicon.score(t).compound for t in ("It is good", "It is not good"))
    bad, not_bad = (lexicon.score(t).compound for t in ("It is bad", "It is not bad"))
    # then the negation changes the sign
    assert good > 0 > not_good and bad < 0 < not_bad


def test_intensifiers_capitals_and_emoji_strengthen() -> None:
    plain = lexicon.score("The lamp is good").compound
    assert lexicon.score("The lamp is extremely good").compound > plain
    assert lexicon.score("The lamp is GOOD!!!").compound > plain
    assert lexicon.score("The lamp 😍").compound > 0 > lexicon.score("The lamp 😡").compound


def test_typos_and_stretched_words_are_read() -> None:
    assert lexicon.score("sooo gooood").compound > 0
    assert lexicon.score("realy dissapointed").compound < 0


@pytest.mark.parametrize(
    "text",
    [
        "Yeah right, best purchase ever.",
        "Great... broke in a day.",
        "Amazing product /s",
        "Oh great, it stopped working again.",
        'So much for "premium" quality.',
    ],
)
def test_sarcasm_markers_turn_praise_into_a_complaint(text: str) -> None:
    # given praise said sarcastically
    score = lexicon.score(text)
    # then the lexicon reads a complaint
    assert score.sarcastic and score.compound < 0
    assert analyse([text])[0].label == "negative"


def test_aspects_are_judged_clause_by_clause() -> None:
    # given a review that loves one thing and not another
    [result] = analyse(["love the colour but delivery took forever"])
    # then each aspect has its own clause's sentiment
    found = {a.aspect: a.label for a in result.aspects}
    assert found == {"appearance": "positive", "delivery": "negative"}


def test_a_sarcastic_review_s_aspects_are_complaints() -> None:
    [result] = analyse(["Oh great, the delivery was fast... it arrived broken."])
    assert result.label == "negative"
    assert {a.aspect: a.label for a in result.aspects}["delivery"] == "negative"


def test_a_text_without_words_is_neutral_and_the_lexicon_decides_without_embeddings() -> None:
    # given texts with nothing to read, and a model without its embeddings
    empty, symbols = analyse(["", "?!... ---"])
    [alone] = analyse(["Horrible quality, broke at once"], use_embeddings=False)
    # then nothing to read is neutral, and the lexicon alone still judges the complaint
    assert empty.label == symbols.label == "neutral" and empty.polarity == 0
    assert alone.label == "negative" and alone.embedding is None
    assert "lexicon only" in model().describe(embeddings=False)["combination"]
