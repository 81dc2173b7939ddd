"""`generate`: a request → its records, their measured coherence, and the output document.
Pure CPU: no database, no network, no clock (the request's `now`), so it runs in a thread or
a process; the same seed and request give byte-identical output."""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from mercato.agents.knowledge.testdata import edge_records
from mercato.agents.knowledge.testdata.coherence import Coherence
from mercato.agents.knowledge.testdata.makers import Item, Makers
from mercato.agents.knowledge.testdata.model import (
    GenerationRequest,
    GenerationResult,
    GeneratorDefectError,
)
from mercato.agents.knowledge.testdata.plan import Plan, make_plan
from mercato.agents.knowledge.testdata.related import count_rows
from mercato.agents.knowledge.testdata.sql_output import SqlWriter
from mercato.agents.knowledge.testdata.text_output import as_csv, as_json
from mercato.agents.knowledge.testdata.tools import Tools

PROGRESS_EVERY = 1_000
ORDER_LIKE = ("order", "payment", "cart")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (and resume it after, if it was on).

    For a process that does nothing else meanwhile (`mercato gen`, the bench): the records
    are trees of dicts, never cycles, and the collector's passes over millions of young
    objects cost about a quarter of `generate`'s time. Not for a server: the switch is the
    whole process's, not the thread's."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def generate(
    request: GenerationRequest,
    progress: Callable[[int], None] | None = None,
    *,
    recipes: Mapping[str, edge_records.Recipe] = edge_records.RECIPES,
) -> GenerationResult:
    """Generate the records a request asks for. `progress` is told how many top-level records
    are done, every 1,000 and at the end. `InvalidGenerationRequest` for a bad request;
    `GeneratorDefectError` if an edge-case record came out breaking other than exactly the
    rule it names (a defect of the generator, never handed out as data). `recipes` make the
    edge-case records (the catalog's, `RECIPES`, unless a test brings its own).

    The garbage collector is left as it is; a process that only generates can pause it
    around the call (`paused_gc()`)."""
    started = time.perf_counter()
    plan = make_plan(request, recipes)
    tools = Tools(plan.seed, plan.now, plan.workflow, plan.tenant_id)
    if plan.entity in ORDER_LIKE:
        tools.catalog.stock_pool()
    makers = Makers(tools)
    coherence = Coherence(tools.catalog)
    items: list[Item] = []
    make = makers.make
    entity = plan.entity
    for done, scenario in enumerate(plan.scenarios, start=1):
        items.append(make(entity, scenario))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    edge_counts: Counter[str] = Counter()
    for case_id in plan.edge_cases:
        made = edge_records.build(case_id, entity, makers, recipes)
        edge_counts[case_id] += len(made)
        items.extend(made)
    _measure(items, coherence, tools)
    ordinary = [item for item in items if item.edge_case is None]
    passing = sum(1 for item in ordinary if not item.broken)
    failures: Counter[str] = Counter()
    for item in ordinary:
        failures.update(item.broken)
    _check_edge_cases(items)
    records = [_record(item, tools) for item in items]
    if plan.output_format == "sql":
        writer = _sql(items, tools, plan)
        data = _document(plan, writer, items)
        related = writer.counts()
    else:
        data = as_json(records) if plan.output_format == "json" else as_csv(records)
        related = count_rows(items, tools.catalog)
    if progress is not None:
        progress(len(items))
    return GenerationResult(
        data=data,
        record_count=len(items),
        coherence_score=passing / len(ordinary) if ordinary else 1.0,
        scenario_counts=dict(plan.scenario_counts),
        edge_case_counts=dict(sorted(edge_counts.items())),
        edge_case_violations_ok=True,  # or _check_edge_cases raised
        related_counts=related,
        generation_time_ms=(time.perf_counter() - started) * 1000,
        records=records,
        rules_evaluated=dict(sorted(coherence.evaluated.items())),
        rule_failures=dict(sorted(failures.items())),
        seed=plan.seed,
    )


def _check_edge_cases(items: list[Item]) -> None:
    """Every edge-case record breaks exactly the rule it names, or none when it names none."""
    for item in items:
        if item.edge_case is None:
            continue
        named = {item.breaks_rule} if item.breaks_rule else set()
        if item.broken != named:
            broke = ", ".join(sorted(item.broken)) or "no rule"
            raise GeneratorDefectError(
                f"generator defect: an {item.edge_case} {item.kind} record must break "
                f"{'exactly ' + item.breaks_rule if item.breaks_rule else 'no rule'}, "
                f"but broke {broke}"
            )


def _measure(items: list[Item], coherence: Coherence, tools: Tools) -> None:
    customers: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in items:
        graph = item.graph
        if item.kind in ("order", "payment"):
            item.broken = coherence.order(graph, item.facts)
            customer = graph["customer"]
        elif item.kind == "cart":
            item.broken = coherence.cart(graph, item.facts)
            customer = graph["customer"]
        elif item.kind == "customer":
            item.broken = coherence.customer_record(graph)
            customer = graph
        else:
            item.broken = coherence.product(graph)
            customer = None
        if customer is not None and customer["id"] not in seen:
            seen.add(customer["id"])
            customers.append(customer)
    emails = coherence.duplicate_emails(customers)
    skus = coherence.duplicate_skus()
    if emails or skus:
        for item in items:
            if _uses(item, emails, skus):
                item.broken.add("BR011" if _email(item) in emails else "BR013")


def _email(item: Item) -> str | None:
    graph = item.graph
    if item.kind == "customer":
        return str(graph["email"]).lower()
    if item.kind in ("order", "payment", "cart") and graph["customer"] is not None:
        return str(graph["customer"]["email"]).lower()
    return None


def _uses(item: Item, emails: set[str], skus: set[str]) -> bool:
    if _email(item) in emails:
        return True
    graph = item.graph
    if item.kind == "product":
        return any(v.sku in skus for v in graph.variants)
    lines = graph.get("lines") or graph.get("items") or [] if isinstance(graph, dict) else []
    return any(line.get("sku") in skus for line in lines)


def _record(item: Item, tools: Tools) -> dict[str, Any]:
    """The top-level record of an item, as JSON values."""
    graph = item.graph
    if item.kind == "product":
        record = tools.catalog.record(graph)
    elif item.kind == "payment":
        order = {k: v for k, v in graph.items() if k not in ("payment", "scenario")}
        record = {"scenario": graph["scenario"], **graph["payment"], "order": order}
    else:
        record = graph
    if item.edge_case is not None:
        record = {"edge_case": item.edge_case, "breaks_rule": item.breaks_rule, **record}
    return record


def _sql(items: list[Item], tools: Tools, plan: Plan) -> SqlWriter:
    writer = SqlWriter(tools, plan.sql_dialect)
    writer.store(tools.iso(tools.now))
    catalog = tools.catalog
    location = f"'{catalog.location_id}'"
    if catalog.products:
        writer.catalog(catalog, catalog.products)
    for item in items:
        if item.breaks_rule is None:
            writer.item(item, location)
    return writer


def _document(plan: Plan, writer: SqlWriter, items: list[Item]) -> str:
    edge = len(items) - len(plan.scenarios)
    head = [
        f"-- Mercato test data: {len(plan.scenarios)} {plan.entity} records and {edge} "
        f"edge-case records, seed {plan.seed}, store {plan.tenant_id!r}, timestamps "
        f"{plan.sql_dialect}",
        "-- One statement per line; load with psql -f, sqlite3, or statement by statement.",
    ]
    body = writer.lines()
    location = f"'{writer.tools.catalog.location_id}'"
    for item in items:
        if item.breaks_rule is None:
            continue
        shadow = writer.shadow()
        shadow.item(item, location)
        body.append(
            f"-- {item.edge_case} breaks {item.breaks_rule}: the store refuses this record; "
            "its rows, not loaded:"
        )
        body.extend("-- " + line for line in shadow.lines(batch=1, upsert_store=False))
    return "\n".join([*head, *body, ""])  # one copy of the document
