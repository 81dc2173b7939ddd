"""The sentiment API's contract."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from mercato.agents.intelligence.sentiment.text import MAX_CHARS
from mercato.kernel.schemas import RequestModel

MAX_TEXTS = 1000
Label = Literal["positive", "neutral", "negative"]
Text = Annotated[str, StringConstraints(max_length=MAX_CHARS)]


class SentimentIn(RequestModel):
    texts: list[Text] = Field(min_length=1, max_length=MAX_TEXTS, description="1 to 1,000 texts")


class AspectOut(BaseModel):
    aspect: str
    label: Label
    polarity: float = Field(ge=-1, le=1)


class ResultOut(BaseModel):
    label: Label
    polarity: float = Field(ge=-1, le=1, description="p(positive) - p(negative)")
    confidence: float = Field(ge=0, le=1, description="The probability of the label")
    aspects: list[AspectOut]


class ModelOut(BaseModel):
    name: str
    version: str
    combination: str


class SentimentOut(BaseModel):
    results: list[ResultOut]
    model: ModelOut


class Shares(BaseModel):
    positive: float
    neutral: float
    negative: float


class SummaryOut(BaseModel):
    count: int
    mean_polarity: float = Field(ge=-1, le=1)
    shares: Shares


class BucketOut(SummaryOut):
    period: date = Field(description="The Monday of the week or the 1st of the month (UTC)")


class TrendOut(BaseModel):
    week: list[BucketOut]
    month: list[BucketOut]


class AspectSummaryOut(SummaryOut):
    aspect: str


class TopicOut(BaseModel):
    label: str
    keywords: list[str]
    count: int
    mean_polarity: float
    review_ids: list[str]


class Example(BaseModel):
    review_id: str
    text: str


class ComplaintOut(BaseModel):
    pattern: str
    kind: Literal["aspect", "phrase"]
    count: int
    examples: list[Example]


class FeatureRequestOut(BaseModel):
    request: str
    count: int
    examples: list[str] = Field(description="Ids of reviews asking for it (up to three)")


class ProductSentimentOut(SummaryOut):
    product_id: str
    model: ModelOut
    trend: TrendOut
    aspects: list[AspectSummaryOut]
    topics: list[TopicOut]
    complaints: list[ComplaintOut]
    feature_requests: list[FeatureRequestOut]
