"""The search agent: the search index of the catalog's sellable products, kept fresh by the
catalog's events, and search with words, filters and facets (seed 003 Search; seed 002's
"fast search"). SQLite's FTS5 embedded, PostgreSQL's full-text search scaled."""

from __future__ import annotations

from mercato.agents.search.api import router
from mercato.agents.search.cli import cli
from mercato.agents.search.handlers import index_product
from mercato.agents.search.spelling import Vocabularies
from mercato.kernel.agent import Agent
from mercato.kernel.bootstrap import Kernel


def setup(kernel: Kernel) -> None:
    kernel.provide(Vocabularies, Vocabularies())


agent = Agent(
    name="search",
    description="Search over the catalog: words, filters, facets; kept fresh by its events",
    router=router,
    cli=cli,
    handlers=[index_product],
    setup=setup,
    tables=["search_documents", "search_facet_values", "search_terms", "search_synonyms"],
)
