"""The router reads a question's intents, entities, period and mode without a model (seed
001 property 26), keeps the previous question's scope for a follow-up and changes only what
the follow-up names (property 32), and the planner turns its reading into the analysis
agents to run. Questions come from the grammar in `grammar.py`; the freehand list is in
test_router_questions.py."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ask.planner import AGENTS, agents_for
from mercato.agents.intelligence.ask.router import FOLLOW_UP_NOTE, WHY_NOTE, route
from mercato.agents.intelligence.ask.scope import Intent, Mode, Route, Scope
from mercato.agents.intelligence.ask.vocabulary import CategoryTerm, ProductTerm, words_of
from tests.unit.intelligence.ask.grammar import (
    DEFAULT_PERIOD,
    STORE,
    TODAY,
    FollowUp,
    Question,
    follow_ups,
    questions,
)

PROPERTY = settings(max_examples=100, deadline=None, database=None)


def _read(question: Question) -> Route:
    return route(question.text, STORE, today=TODAY, mode=question.given_mode)


@pytest.mark.seed_property(26)
@PROPERTY
@given(questions())
def test_property_26_queries_are_parsed_and_routed_correctly(question: Question) -> None:
    # given a question composed from the grammar, with what it names
    note(repr(question))
    # when the router reads it
    got = _read(question)
    # then it reads its intents, entities, filters, period and mode
    assert got.understood and not got.follow_up and got.planned_by == "router"
    assert got.intents == question.intents
    scope = got.scope
    assert scope.product_ids == question.product_ids
    assert scope.category_id == question.category_id
    assert scope.competitor == question.competitor
    assert scope.marketplace == question.marketplace
    assert scope.filters == question.filters
    assert scope.period is not None and scope.period.label == question.period
    assert got.mode == question.mode
    # and the planner runs an agent for each intent, in a fixed order
    agents = agents_for(got)
    assert agents and list(agents) == [a for a in AGENTS if a in agents]


def _expected_after(first: Route, follow: FollowUp) -> tuple[Scope, tuple[Intent, ...]]:
    scope, intents = first.scope, first.intents
    if follow.kind == "filter":
        scope = scope.narrowed(filters={**scope.filters, "colour": follow.value})
    elif follow.kind == "period":
        assert scope.period is not None
        scope = scope.narrowed(period=replace(scope.period, label=follow.value))
    elif follow.kind == "competitor":
        scope = scope.narrowed(competitor=follow.value)
    elif follow.kind == "marketplace":
        scope = scope.narrowed(marketplace=follow.value)
    elif follow.kind == "category":
        name = next(c.name for c in STORE.categories if c.id == follow.value)
        scope = scope.narrowed(
            product_ids=(), product_names=(), category_id=follow.value, category_name=name
        )
    elif follow.kind == "intent":
        assert follow.intent is not None
        intents = (follow.intent,)
    return scope, intents


@pytest.mark.seed_property(32)
@PROPERTY
@given(questions(), follow_ups())
def test_property_32_a_follow_up_keeps_the_scope_but_what_it_names(
    question: Question, follow: FollowUp
) -> None:
    # given a routed first question and an elliptical follow-up
    first = _read(question)
    note(f"{question!r} then {follow!r}")
    # when the router reads the follow-up with the first's scope and intents
    got = route(follow.text, STORE, today=TODAY, previous=(first.scope, first.intents))
    # then it is a follow-up, and only what it names changed
    scope, intents = _expected_after(first, follow)
    assert got.follow_up and got.understood and FOLLOW_UP_NOTE in got.notes
    assert got.intents == intents
    assert got.scope.period is not None
    assert replace(got.scope, period=None) == replace(scope, period=None)
    assert got.scope.period.label == (scope.period.label if scope.period else None)
    if follow.kind != "period":
        assert got.scope.period == first.scope.period
    if follow.kind == "why":
        assert WHY_NOTE in got.notes


def test_a_question_no_phrasing_matches_is_not_understood_and_runs_everything() -> None:
    # given a question about nothing the store analyses
    # when the router reads it
    got = route("tell me a joke about penguins", STORE, today=TODAY)
    # then it is not understood, has no intent, is store-wide over the default period
    assert (got.understood, got.intents) == (False, ())
    assert got.scope.is_store_wide and got.scope.period is not None
    assert got.scope.period.label == DEFAULT_PERIOD
    assert any(note.startswith("not understood") for note in got.notes)
    # and the planner runs every agent
    assert agents_for(got) == AGENTS


def test_a_full_question_after_another_is_not_a_follow_up() -> None:
    # given a previous question about one product's prices
    first = route("how are my prices for the Aster Parka", STORE, today=TODAY)
    # when the next question names its own intent and subject
    got = route(
        "what do customers think of gloves last month",
        STORE,
        today=TODAY,
        previous=(first.scope, first.intents),
    )
    # then it stands on its own
    assert not got.follow_up
    assert got.intents == (Intent.SENTIMENT,)
    assert (got.scope.product_ids, got.scope.category_id) == ((), "c1")


def test_a_category_phrase_wins_over_a_product_sharing_its_words() -> None:
    # given a store with the category "Running shoes" and a product "Trail Running Shoe"
    shoe, shoes = "Trail Running Shoe", "Running shoes"
    vocab = replace(
        STORE,
        products=[ProductTerm("trail", shoe, "run", {}, words_of(shoe))],
        categories=[CategoryTerm("run", shoes, (shoes,), words_of(shoes))],
    )
    # when questions name the category, and the product
    category = route("how are my running shoes selling", vocab, today=TODAY)
    product = route("how is the trail running shoe selling", vocab, today=TODAY)
    # then the first is about the category, the second about the product
    assert (category.scope.category_id, category.scope.product_ids) == ("run", ())
    assert (product.scope.category_id, product.scope.product_ids) == (None, ("trail",))


def test_the_notes_say_what_was_read() -> None:
    # given a question naming a category, a competitor, a colour and a month
    question = "Am I cheaper than Rivalmart on teal backpacks last month? In depth please"
    # when the router reads it
    got = route(question, STORE, today=TODAY)
    # then its notes list each, and the mode is deep
    assert {
        "intent: price_position",
        "category: Backpacks",
        "competitor: Rivalmart",
        "filter: colour = teal",
        "period: November 2026",
    } <= set(got.notes)
    assert got.mode == Mode.DEEP


@pytest.mark.parametrize(
    ("intents", "why", "agents"),
    [
        ((Intent.PRICE_POSITION,), False, ("pricing",)),
        ((Intent.COMPETITOR_MOVES,), False, ("pricing", "competitors")),
        ((Intent.SENTIMENT,), False, ("sentiment",)),
        ((Intent.FORECAST,), False, ("demand",)),
        ((Intent.STOCK_RISK,), False, ("demand", "sales")),
        ((Intent.SALES_TREND,), False, ("sales",)),
        ((Intent.SALES_TREND,), True, AGENTS),
        ((Intent.SALES_TREND, Intent.ADVICE), False, AGENTS),
        ((Intent.ADVICE,), False, AGENTS),
        ((Intent.SENTIMENT, Intent.FORECAST), False, ("sentiment", "demand")),
    ],
)
def test_the_planner_runs_the_agents_each_intent_needs(
    intents: tuple[Intent, ...], why: bool, agents: tuple[str, ...]
) -> None:
    # given a route with these intents (and a "why")
    reading = Route(intents, Scope(), Mode.QUICK, True, notes=(WHY_NOTE,) if why else ())
    # when the planner plans it
    # then it runs these agents, in AGENTS' order
    assert agents_for(reading) == agents


@given(st.text(max_size=80))
@settings(max_examples=100, deadline=None, database=None)
def test_any_text_is_read_without_error(text: str) -> None:
    # given any text at all
    # when the router reads it
    got = route(text, STORE, today=TODAY)
    # then it answers a route with a period, understood only with an intent
    assert got.scope.period is not None
    assert got.understood == bool(got.intents)
