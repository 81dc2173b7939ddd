"""The search API's answers (the contract clients depend on)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from mercato.agents.catalog.service import ProductSummary
from mercato.kernel.schemas import RequestModel


class Hit(BaseModel):
    product: ProductSummary
    score: float = Field(description="Relevance as the engine scored it (higher is better)")
    highlights: dict[str, str] = Field(
        description="HTML of the fields that matched, escaped, the words in <mark>"
    )


class FacetValue(BaseModel):
    value: Any
    label: str | None = Field(
        default=None, description="How to show it (a category's name, 4 stars & up)"
    )
    count: int
    min: str | None = Field(
        default=None, description="Price ranges: the lowest price in it; ratings: the stars"
    )
    max: str | None = Field(default=None, description="Price ranges: below it (null: no cap)")


class SearchPage(BaseModel):
    items: list[Hit]
    facets: dict[str, list[FacetValue]] = Field(
        description="category, brand, price, in_stock, rating and `attr:<name>`: counts over "
        "every product that matched (by words or meaning) and the filters; rating's values "
        "are 4, 3, 2, 1 (`min_rating`), each counting the products rated that or more"
    )
    total_estimate: int = Field(description="How many products matched")
    relaxed: bool = Field(
        description="No product had every word: these have some of them, or mean what was "
        "asked (best first)"
    )
    nearest: bool = Field(
        False,
        description="Nothing had the words nor meant them closely: these are the products "
        "nearest in meaning, offered rather than nothing",
    )
    did_you_mean: str | None
    query_id: str = Field(description="Quote it with a click (`POST /v1/search/clicks`)")
    next_cursor: str | None


Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Group = Annotated[list[Phrase], Field(min_length=2, max_length=20)]


class Synonyms(RequestModel):
    """Groups of words or phrases that mean the same to shoppers: a query's word in a group
    matches any member ("tshirt", "t shirt", "tee")."""

    groups: Annotated[list[Group], Field(max_length=500)]


Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]


class Click(RequestModel):
    query_id: Id = Field(description="The search's `query_id`")
    product_id: Id
    position: Annotated[int, Field(ge=0, le=10_000, description="From 0, across pages")]


class View(RequestModel):
    product_id: Id = Field(description="The product the shopper is looking at")


class QueryCount(BaseModel):
    query: str
    searches: int
    clicks: int = 0
    results: int | None = None


class IndexState(BaseModel):
    products: int = Field(description="Products in the index (those for sale)")
    meaning_pending: int = Field(
        description="Products whose meaning the background embedder has still to make (found "
        "by their words meanwhile)"
    )
    last_indexed_at: datetime | None


class SearchInsights(BaseModel):
    index: IndexState
    since: datetime
    searches: int
    top_queries: list[QueryCount]
    zero_results: list[QueryCount]


class SuggestedProduct(BaseModel):
    id: str
    name: str
    highlight: str | None = Field(description="The name as HTML, the typed words in <mark>")
    price: str
    currency: str
    thumbnail_url: str | None


class SuggestedCategory(BaseModel):
    id: str
    name: str
    count: int = Field(description="Products of the query in it")


class Suggestions(BaseModel):
    queries: list[str] = Field(description="The query completed, the most likely first")
    products: list[SuggestedProduct]
    categories: list[SuggestedCategory]


class Recommendations(BaseModel):
    items: list[ProductSummary]
    next_cursor: Annotated[
        str | None, Field(description="Always null: recommendations come whole, in one answer")
    ]
    kind: str = Field(
        description="What they are: the kind asked for, or `similar` standing in for "
        "`bought_together` while nobody has bought the product with anything"
    )
