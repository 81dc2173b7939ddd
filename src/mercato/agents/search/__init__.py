"""The search agent: the search index of the catalog's sellable products, kept fresh by the
catalog's events, and search with words, filters and facets (seed 003 Search; seed 002's
"fast search"). SQLite's FTS5 embedded, PostgreSQL's full-text search scaled."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.catalog.ports import ProductWords
from mercato.agents.search import service
from mercato.agents.search.answers import Answers
from mercato.agents.search.api import router
from mercato.agents.search.cli import cli
from mercato.agents.search.handlers import (
    count_basket,
    hold_basket,
    index_product,
    note_cart,
    note_cart_add,
    note_purchase,
    note_sign_in,
    rate_product,
)
from mercato.agents.search.log import FLUSH_SECONDS, QueryLog
from mercato.agents.search.meaning import Vectors, embed_pending
from mercato.agents.search.spelling import Vocabularies
from mercato.agents.search.views import ViewLog
from mercato.kernel.agent import Agent, PeriodicJob
from mercato.kernel.auth import grant
from mercato.kernel.bootstrap import Kernel

grant("support", "search:insights")


def setup(kernel: Kernel) -> None:
    kernel.provide(Vocabularies, Vocabularies())
    kernel.provide(QueryLog, QueryLog())
    kernel.provide(ViewLog, ViewLog())
    kernel.provide(Vectors, Vectors())
    kernel.provide(Answers, Answers(kernel.broadcast, ttl=kernel.settings.search_answers_seconds))
    kernel.provide(ProductWords, ProductWords(matching=service.matching))


async def flush_logs(kernel: Kernel) -> None:
    """The queries and views the process holds, written."""
    await kernel.deps(QueryLog).flush(kernel)
    await kernel.deps(ViewLog).flush(kernel)


async def refresh_vocabularies(kernel: Kernel) -> None:
    """Each held vocabulary a minute old built again; the answers kept with the old one (a
    suggestion's completions, a "did you mean") are not served again."""
    for store in await kernel.deps(Vocabularies).refresh(kernel):
        kernel.deps(Answers).changed(store)


agent = Agent(
    name="search",
    description="Search over the catalog: words, filters, facets; kept fresh by its events",
    router=router,
    cli=cli,
    handlers=[
        index_product,
        hold_basket,
        count_basket,
        note_purchase,
        note_cart,
        note_cart_add,
        note_sign_in,
        rate_product,
    ],
    setup=setup,
    web=Path(__file__).parent / "web",
    jobs=[
        PeriodicJob("search.flush_logs", FLUSH_SECONDS, flush_logs),
        PeriodicJob("search.embed", lambda s: s.search_embed_interval, embed_pending),
        PeriodicJob("search.refresh_vocabularies", 10.0, refresh_vocabularies),
    ],
    on_stop=flush_logs,
    tables=[
        "search_documents",
        "search_facet_values",
        "search_terms",
        "search_synonyms",
        "search_queries",
        "search_clicks",
        "search_baskets",
        "search_pairs",
        "search_interests",
        "search_cart_owners",
        "search_vectors",
    ],
)
