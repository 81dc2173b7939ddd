"""A configured LLM's part in a question, through pydantic-ai: planning a question the router
could not read (its answer is a structured plan whose names are resolved against the store's
vocabulary by the router's own matching, unknown names dropped and noted), and writing the
executive summary from the report's findings only. Tokens are the run's usage. A provider's
error is raised (and the caller bounds the time, `asyncio.timeout`): the caller falls back
to the router and the template."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from mercato.agents.intelligence.ask.periods import default_period, parse_period
from mercato.agents.intelligence.ask.phrasings import WHY
from mercato.agents.intelligence.ask.router import WHY_NOTE, normalised
from mercato.agents.intelligence.ask.scope import Intent, Mode, Route, Scope
from mercato.agents.intelligence.ask.vocabulary import (
    Vocabulary,
    match_category,
    match_name,
    match_products,
    words_of,
)

if TYPE_CHECKING:  # pydantic-ai is imported only where an LLM is configured
    from pydantic_ai.models import Model
    from pydantic_ai.usage import RunUsage

NAMES_SHOWN = 100
"""How many of the store's product and category names the planning prompt lists."""
FINDINGS = ("question", "scope", "metrics", "risks", "actions", "insights", "data_quality",
            "confidence")  # fmt: skip
"""The only parts of a report the summary's writer is given."""

PLAN_INSTRUCTIONS = """\
You read a merchant's question about their online store and say which analyses answer it
and what it is about. Intents: price_position (their prices against competitors'),
competitor_moves (competitors' price changes and promotions), sentiment (what customers say
in reviews), forecast (future demand), stock_risk (running out or overstock), sales_trend
(sales, revenue, best sellers, why sales moved), advice (what to do). Name products,
a category, a competitor and a marketplace only as the store calls them (lists below), option
filters as option name and value (e.g. colour: blue), and the period in the question's own
words ("last month", "in March"). Leave out what the question does not name. Set deep when
it asks for a thorough or fresh analysis. If it is not about the store, give no intents."""

SUMMARY_INSTRUCTIONS = """\
Write a 3 to 5 sentence executive summary of this analytics report for a busy merchant.
Use only the findings given as JSON: state no number that is not in them (round as written,
percent as given), invent no cause, product or competitor. Say what the report covers and
over which period, the most important changes with their figures, the most serious risk, the
first recommended action, and how confident the findings are. Plain prose, no lists, no
headings."""


class QuestionPlan(BaseModel):
    """What the model answers for a question."""

    intents: list[Intent] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list, description="Product names as listed")
    category: str | None = Field(default=None, description="A category name as listed")
    competitor: str | None = None
    marketplace: str | None = None
    filters: dict[str, str] = Field(
        default_factory=dict, description="Option name -> value, e.g. {'colour': 'blue'}"
    )
    period: str | None = Field(default=None, description="The period in the question's words")
    deep: bool = False


@dataclass(frozen=True)
class LlmPlan:
    route: Route
    input_tokens: int
    output_tokens: int
    model_name: str


@dataclass(frozen=True)
class LlmSummary:
    text: str
    input_tokens: int
    output_tokens: int
    model_name: str


async def plan_with_llm(
    model: Model,
    question: str,
    vocab: Vocabulary,
    *,
    today: date,
    mode: Mode | None = None,
) -> LlmPlan:
    """The model's reading of `question`, resolved against `vocab`; planned_by "llm"."""
    from pydantic_ai import Agent
    from pydantic_ai.usage import UsageLimits

    agent = Agent(model, output_type=QuestionPlan, instructions=PLAN_INSTRUCTIONS + _listing(vocab))
    result = await agent.run(question, usage_limits=UsageLimits(request_limit=3))
    route = resolve(result.output, vocab, today=today, mode=mode)
    if WHY.search(normalised(question)):
        route = replace(route, notes=(*route.notes, WHY_NOTE))
    return LlmPlan(route, *_tokens(result.usage), model_name=model.model_name)


def resolve(plan: QuestionPlan, vocab: Vocabulary, *, today: date, mode: Mode | None) -> Route:
    """`plan` as a route: each name matched as the router matches it, unknown ones dropped
    and noted."""
    notes: list[str] = ["planned by the LLM"]
    ids: list[str] = []
    names: list[str] = []
    for name in plan.products:
        asked = words_of(name)
        found = match_products(asked, vocab.products_sharing(asked))
        best = [f for f in found if f.complete] or found
        if not best:
            notes.append(f"unknown product dropped: {name}")
        for f in best[:5]:
            if f.id not in ids:
                ids.append(f.id)
                names.append(f.name)
                notes.append(f"product: {f.name}")
    category = match_category(words_of(plan.category), vocab.categories) if plan.category else None
    if plan.category and category is None:
        notes.append(f"unknown category dropped: {plan.category}")
    competitor = _named(plan.competitor, vocab.competitors, "competitor", notes)
    marketplace = _named(plan.marketplace, vocab.marketplaces, "marketplace", notes)
    filters = _filters(plan.filters, vocab.option_values(), notes)
    period = parse_period(plan.period, today) if plan.period else None
    if plan.period and period is None:
        notes.append(f"period not understood, default used: {plan.period}")
    period = period or default_period(today)
    notes.append(f"period: {period.label}")
    intents = tuple(i for i in Intent if i in plan.intents)
    scope = Scope(
        product_ids=tuple(ids),
        product_names=tuple(names),
        category_id=category.id if category and not ids else None,
        category_name=category.name if category and not ids else None,
        competitor=competitor,
        marketplace=marketplace,
        period=period,
        filters=filters,
    )
    return Route(
        intents=intents,
        scope=scope,
        mode=mode or (Mode.DEEP if plan.deep else Mode.QUICK),
        understood=bool(intents),
        planned_by="llm",
        notes=tuple(notes),
    )


async def write_summary_with_llm(model: Model, report: dict[str, Any]) -> LlmSummary:
    """The model's executive summary of `report`, given its findings only (`FINDINGS`,
    without evidence ids); the caller checks its numbers (`numbers.unverified_numbers`)."""
    from pydantic_ai import Agent
    from pydantic_ai.usage import UsageLimits

    agent = Agent(model, output_type=str, instructions=SUMMARY_INSTRUCTIONS)
    payload = json.dumps(findings_of(report), default=str, sort_keys=True)
    result = await agent.run(payload, usage_limits=UsageLimits(request_limit=2))
    return LlmSummary(str(result.output).strip(), *_tokens(result.usage), model.model_name)


def findings_of(report: dict[str, Any]) -> dict[str, Any]:
    """The parts of `report` a summary may draw on, evidence ids left out."""
    return {key: _without_evidence(report.get(key)) for key in FINDINGS}


def _without_evidence(value: Any) -> Any:
    if isinstance(value, list):
        return [_without_evidence(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_evidence(v) for k, v in value.items() if k != "evidence"}
    return value


def _listing(vocab: Vocabulary) -> str:
    products = [p.name for p in vocab.products[:NAMES_SHOWN]]
    more = len(vocab.products) - len(products)
    options = {k: sorted(v)[:20] for k, v in sorted(vocab.option_values().items())[:10]}
    lines = [
        "",
        "Products: " + "; ".join(products) + (f" (and {more} more)" if more > 0 else ""),
        "Categories: " + "; ".join(c.name for c in vocab.categories[:NAMES_SHOWN]),
        "Competitors: " + "; ".join(vocab.competitors),
        "Marketplaces: " + "; ".join(vocab.marketplaces),
        "Options: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in options.items()),
    ]
    return "\n".join(lines)


def _named(name: str | None, known: list[str], kind: str, notes: list[str]) -> str | None:
    if not name:
        return None
    found = match_name(words_of(name), known)
    if found is None:
        notes.append(f"unknown {kind} dropped: {name}")
        return None
    notes.append(f"{kind}: {found.id}")
    return found.id


def _filters(
    asked: dict[str, str], options: dict[str, set[str]], notes: list[str]
) -> dict[str, str]:
    """The model's filters that are the catalogue's: a value under its option's name (the
    catalogue's spelling), or under whichever option has it."""
    kept: dict[str, str] = {}
    for option, value in asked.items():
        wanted = value.strip().lower()
        named = next((o for o in options if o == option.strip().lower()), None)
        holder = named if named and wanted in options[named] else None
        holder = holder or next((o for o in sorted(options) if wanted in options[o]), None)
        if holder is None:
            notes.append(f"unknown filter dropped: {option} = {value}")
            continue
        kept[holder] = wanted
        notes.append(f"filter: {holder} = {wanted}")
    return kept


def _tokens(usage: RunUsage) -> tuple[int, int]:
    return int(usage.input_tokens or 0), int(usage.output_tokens or 0)
