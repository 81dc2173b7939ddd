"""A realistic stored report (the JSON `IntelReport.body` of /tmp/intel/report_schema.md) for
the renderers' tests and anyone else's: a Deep-mode question about one product's price, its
reviews, its sales and its demand, with every section filled. `example_report()` returns a
fresh copy to change; `insufficient_report()` one whose data could not support an answer."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

_HISTORY_START = date(2026, 11, 8)
_FORECAST_START = date(2026, 12, 6)
_SALES = [14, 17, 12, 19, 22, 25, 18, 16, 15, 21, 24, 27, 30, 19, 17, 18, 23, 26, 29, 31, 22,
          20, 19, 24, 28, 33, 35, 26]  # fmt: skip


def _history() -> list[dict[str, Any]]:
    return [
        {"date": (_HISTORY_START + timedelta(days=i)).isoformat(), "units": float(units)}
        for i, units in enumerate(_SALES)
    ]


def _forecast() -> list[dict[str, Any]]:
    points = []
    for i in range(14):
        level = 25.0 + 3.0 * ((i + 3) % 7 in (5, 6)) + 0.2 * i
        spread = 3.0 + 0.5 * i
        points.append(
            {
                "date": (_FORECAST_START + timedelta(days=i)).isoformat(),
                "forecast": round(level, 1),
                "lower_80": round(level - spread, 1),
                "upper_80": round(level + spread, 1),
                "lower_95": round(max(level - 1.6 * spread, 0.0), 1),
                "upper_95": round(level + 1.6 * spread, 1),
            }
        )
    return points


_EVIDENCE = [
    {
        "id": "obs-9f21",
        "kind": "competitor_observation",
        "record_id": "9f21c0de",
        "label": "SportDirect: Trail Runner at €69.99 (2026-12-05)",
        "href": "/v1/intelligence/observations/9f21c0de",
        "observed_at": "2026-12-05T08:12:00+00:00",
        "lineage": "/v1/intelligence/lineage/clean/9f21c0de",
    },
    {
        "id": "obs-a7c4",
        "kind": "competitor_observation",
        "record_id": "a7c4aa10",
        "label": "RunnersWorld Shop: Trail Runner at €74.50 (2026-12-05)",
        "href": "/v1/intelligence/observations/a7c4aa10",
        "observed_at": "2026-12-05T09:40:00+00:00",
        "lineage": "/v1/intelligence/lineage/clean/a7c4aa10",
    },
    {
        "id": "obs-c310",
        "kind": "competitor_observation",
        "record_id": "c310be77",
        "label": "Outdoor & Co. Megastore Europe (marketplace seller): Trail Runner at €84.00",
        "href": "/v1/intelligence/observations/c310be77",
        "observed_at": "2026-12-04T17:03:00+00:00",
        "lineage": None,
    },
    {
        "id": "price-tr",
        "kind": "store_price",
        "record_id": "prod_trail_runner",
        "label": "Your price for Trail Runner: €79.00",
        "href": "/v1/catalog/products/prod_trail_runner",
        "observed_at": "2026-12-06T06:00:00+00:00",
        "lineage": None,
    },
    {
        "id": "rev-311",
        "kind": "review",
        "record_id": "rev_311",
        "label": 'Review: "Sizes run small, had to return them" (2 stars)',
        "href": "/v1/reviews/rev_311",
        "observed_at": "2026-11-28T14:22:00+00:00",
        "lineage": None,
    },
    {
        "id": "rev-agg",
        "kind": "review",
        "record_id": "sentiment:prod_trail_runner",
        "label": "142 reviews of Trail Runner scored by the sentiment model v3",
        "href": "/v1/intelligence/sentiment/products/prod_trail_runner",
        "observed_at": "2026-12-06T05:00:00+00:00",
        "lineage": None,
    },
    {
        "id": "dd-tr",
        "kind": "daily_demand",
        "record_id": "demand:prod_trail_runner",
        "label": "Daily units sold, Trail Runner, 2026-11-08 to 2026-12-05",
        "href": "/v1/intelligence/demand/products/prod_trail_runner/history",
        "observed_at": "2026-12-06T01:00:00+00:00",
        "lineage": None,
    },
    {
        "id": "fc-tr",
        "kind": "forecast",
        "record_id": "fc_2026_12_06_tr",
        "label": "14-day forecast (AutoETS), Trail Runner",
        "href": "/v1/intelligence/forecasts/fc_2026_12_06_tr",
        "observed_at": "2026-12-06T01:05:00+00:00",
        "lineage": None,
    },
]

_REPORT: dict[str, Any] = {
    "id": "rep_01JEXAMPLE0000000000000001",
    "query_id": "qry_01JEXAMPLE0000000000000001",
    "question": "How is the Trail Runner priced against competitors, and what should I do?",
    "mode": "deep",
    "status": "partial",
    "created_at": "2026-12-06T11:20:31+00:00",
    "duration_ms": 4210.5,
    "scope": {
        "product_ids": ["prod_trail_runner"],
        "product_names": ["Trail Runner"],
        "category_id": None,
        "category_name": None,
        "competitor": None,
        "marketplace": None,
        "period": {"start": "2026-11-06", "end": "2026-12-05", "label": "the last 30 days"},
        "filters": {"colour": "blue"},
    },
    "intents": ["price_position", "sentiment", "forecast", "advice"],
    "planned_by": "router",
    "understood": True,
    "follow_up": False,
    "notes": ["product: Trail Runner", "period: the last 30 days", "colour: blue"],
    "summary": {
        "text": (
            "Trail Runner sells at €79.00, 5.7% above the median of three competitors "
            "(SportDirect is cheapest at €69.99). Sales rose 12.4% on the previous 30 days and "
            "demand is forecast at about 380 units over the next 14 days. Review sentiment is "
            "positive overall but slipping on sizing."
        ),
        "written_by": "template",
        "unverified_numbers": [],
    },
    "metrics": [
        {
            "key": "store_price",
            "label": "Your price",
            "value": 79.0,
            "unit": "currency:EUR",
            "previous": 79.0,
            "change": 0.0,
            "change_percent": 0.0,
            "trend": "flat",
            "period": "today",
            "evidence": ["price-tr"],
            "agent": "pricing",
        },
        {
            "key": "median_gap",
            "label": "Gap to the market median",
            "value": 5.7,
            "unit": "percent",
            "previous": 2.1,
            "change": 3.6,
            "change_percent": None,
            "trend": "up",
            "period": "today",
            "evidence": ["obs-9f21", "obs-a7c4", "obs-c310"],
            "agent": "pricing",
        },
        {
            "key": "units_sold",
            "label": "Units sold",
            "value": 624.0,
            "unit": "units",
            "previous": 555.0,
            "change": 69.0,
            "change_percent": 12.4,
            "trend": "up",
            "period": "the last 30 days",
            "evidence": ["dd-tr"],
            "agent": "demand",
        },
        {
            "key": "sentiment",
            "label": "Review sentiment",
            "value": 0.31,
            "unit": "score",
            "previous": 0.44,
            "change": -0.13,
            "change_percent": -29.5,
            "trend": "down",
            "period": "the last 30 days",
            "evidence": ["rev-agg"],
            "agent": "sentiment",
        },
        {
            "key": "forecast_14d",
            "label": "Forecast demand, next 14 days",
            "value": 381.0,
            "unit": "units",
            "previous": None,
            "change": None,
            "change_percent": None,
            "trend": "unknown",
            "period": "2026-12-06 to 2026-12-19",
            "evidence": ["fc-tr"],
            "agent": "demand",
        },
        {
            "key": "stock_cover",
            "label": "Stock cover",
            "value": 9.0,
            "unit": "days",
            "previous": 16.0,
            "change": -7.0,
            "change_percent": -43.8,
            "trend": "down",
            "period": "today",
            "evidence": ["fc-tr"],
            "agent": "demand",
        },
    ],
    "risks": [
        {
            "key": "stockout",
            "title": "Stock runs out before the next delivery",
            "severity": "high",
            "detail": "9 days of cover at the forecast rate; the next purchase order lands in 12.",
            "evidence": ["fc-tr"],
            "agent": "demand",
        },
        {
            "key": "sizing",
            "title": "Complaints about sizing are rising",
            "severity": "medium",
            "detail": "18% of November's reviews mention a small fit (9% in October).",
            "evidence": ["rev-311", "rev-agg"],
            "agent": "sentiment",
        },
        {
            "key": "undercut",
            "title": "SportDirect undercuts you by €9.01",
            "severity": "low",
            "detail": "Their price has held at €69.99 for 11 days.",
            "evidence": ["obs-9f21"],
            "agent": "pricing",
        },
    ],
    "actions": [
        {
            "key": "reorder",
            "title": "Bring the next purchase order forward",
            "detail": "Order about 150 units now to cover the forecast's 80% upper bound.",
            "impact": "high",
            "effort": "low",
            "evidence": ["fc-tr"],
            "agent": "demand",
            "topics": ["stock"],
            "priority": 1,
        },
        {
            "key": "size_note",
            "title": "Add a 'runs small: order half a size up' note",
            "detail": "Sizing is the most frequent complaint; a note on the product page "
            "should cut returns.",
            "impact": "medium",
            "effort": "low",
            "evidence": ["rev-311", "rev-agg"],
            "agent": "sentiment",
            "topics": ["reviews"],
            "priority": 3,
        },
        {
            "key": "hold_price",
            "title": "Hold the price at €79.00 while stock is short",
            "detail": "Demand is up 12.4% and cover is thin: a cut to match SportDirect would "
            "sell out sooner at a lower margin.",
            "impact": "medium",
            "effort": "low",
            "evidence": ["price-tr", "obs-9f21", "dd-tr"],
            "agent": "pricing",
            "topics": ["price", "margin"],
            "priority": 2,
        },
    ],
    "insights": [
        {
            "text": "Sales peak on Saturdays and Sundays (about 30% above weekdays).",
            "evidence": ["dd-tr"],
            "agent": "demand",
            "confidence": 0.82,
        },
        {
            "text": "Reviews praise grip and comfort; sizing is the only growing complaint.",
            "evidence": ["rev-agg", "rev-311"],
            "agent": "sentiment",
            "confidence": 0.74,
        },
    ],
    "confidence": {
        "overall": 0.72,
        "label": "medium",
        "by_agent": {"pricing": 0.86, "sentiment": 0.74, "demand": 0.63},
    },
    "uncertainty": [
        "The 14-day forecast's 95% interval spans 181 to 580 units.",
        "Only 3 competitors were observed; Outdoor & Co. matched with 71% confidence.",
        "The competitor crawl timed out, so prices may be up to 2 days old.",
    ],
    "data_quality": [
        {
            "kind": "low_confidence_match",
            "message": "Outdoor & Co.'s listing matched Trail Runner with 71% confidence.",
            "agent": "pricing",
            "records": ["obs-c310"],
        },
        {
            "kind": "timeout",
            "message": "The competitor crawl stopped at its 20 s limit; stored prices were used.",
            "agent": "competitor_crawl",
            "records": [],
        },
    ],
    "insufficient_data": None,
    "evidence": _EVIDENCE,
    "charts": [
        {
            "kind": "price_gap",
            "title": "Your price against competitors",
            "data": {
                "product": "Trail Runner",
                "currency": "EUR",
                "store_price": 79.0,
                "competitors": [
                    {
                        "name": "SportDirect",
                        "price": 69.99,
                        "gap_percent": 12.87,
                        "observed_at": "2026-12-05T08:12:00+00:00",
                    },
                    {
                        "name": "RunnersWorld Shop",
                        "price": 74.5,
                        "gap_percent": 6.04,
                        "observed_at": "2026-12-05T09:40:00+00:00",
                    },
                    {
                        "name": "Outdoor & Co. Megastore Europe (marketplace seller)",
                        "price": 84.0,
                        "gap_percent": -5.95,
                        "observed_at": "2026-12-04T17:03:00+00:00",
                    },
                ],
            },
            "evidence": ["price-tr", "obs-9f21", "obs-a7c4", "obs-c310"],
        },
        {
            "kind": "sales_trend",
            "title": "Units sold per day",
            "data": {
                "points": _history(),
                "current_total": 624.0,
                "previous_total": 555.0,
                "period": "the last 30 days",
            },
            "evidence": ["dd-tr"],
        },
        {
            "kind": "forecast_band",
            "title": "Demand forecast, next 14 days",
            "data": {"product": "Trail Runner", "history": _history(), "points": _forecast()},
            "evidence": ["dd-tr", "fc-tr"],
        },
        {
            "kind": "sentiment_trend",
            "title": "Review sentiment by month",
            "data": {
                "granularity": "month",
                "points": [
                    {"period": "2026-07", "polarity": 0.52, "count": 21},
                    {"period": "2026-08", "polarity": 0.47, "count": 26},
                    {"period": "2026-09", "polarity": 0.49, "count": 30},
                    {"period": "2026-10", "polarity": 0.44, "count": 33},
                    {"period": "2026-11", "polarity": 0.31, "count": 32},
                ],
            },
            "evidence": ["rev-agg"],
        },
    ],
    "agents": [
        {
            "agent": "pricing",
            "status": "ok",
            "duration_ms": 412.0,
            "records_read": 58,
            "confidence": 0.86,
            "error": None,
            "cache": "hit",
        },
        {
            "agent": "sentiment",
            "status": "ok",
            "duration_ms": 1830.2,
            "records_read": 142,
            "confidence": 0.74,
            "error": None,
            "cache": "refreshed",
        },
        {
            "agent": "demand",
            "status": "ok",
            "duration_ms": 2950.7,
            "records_read": 365,
            "confidence": 0.63,
            "error": None,
            "cache": "miss",
        },
        {
            "agent": "competitor_crawl",
            "status": "timeout",
            "duration_ms": 20000.0,
            "records_read": 0,
            "confidence": 0.0,
            "error": "stopped at the 20 s limit",
            "cache": "bypass",
        },
    ],
    "preferences": {
        "kpis": ["margin", "units_sold"],
        "marketplaces": ["amazon"],
        "goals": ["protect margin"],
        "margin_floor_percent": "25",
    },
    "similar_questions": [
        {
            "question": "Is the Trail Runner too expensive?",
            "report_id": "rep_01JD00000000000000000007",
            "score": 0.91,
            "asked_at": "2026-11-21T09:02:00+00:00",
        },
        {
            "question": "What do reviews say about Trail Runner sizing?",
            "report_id": "rep_01JC00000000000000000003",
            "score": 0.78,
            "asked_at": "2026-10-30T16:45:00+00:00",
        },
    ],
}


def example_report() -> dict[str, Any]:
    """A full report: every section, four charts, a timed-out agent (status "partial")."""
    return copy.deepcopy(_REPORT)


def insufficient_report() -> dict[str, Any]:
    """A report whose data could not support an answer: no findings, no charts."""
    return {
        "id": "rep_01JEXAMPLE0000000000000002",
        "query_id": "qry_01JEXAMPLE0000000000000002",
        "question": "Forecast demand for the Glacier Parka next winter",
        "mode": "quick",
        "status": "insufficient",
        "created_at": "2026-12-06T11:25:00+00:00",
        "duration_ms": 310.0,
        "scope": {
            "product_ids": ["prod_glacier"],
            "product_names": ["Glacier Parka"],
            "period": None,
            "filters": {},
        },
        "intents": ["forecast"],
        "planned_by": "router",
        "understood": True,
        "follow_up": False,
        "notes": [],
        "summary": {
            "text": "There is not enough sales history to forecast the Glacier Parka.",
            "written_by": "template",
            "unverified_numbers": [],
        },
        "metrics": [],
        "risks": [],
        "actions": [],
        "insights": [],
        "confidence": {"overall": 0.0, "label": "low", "by_agent": {}},
        "uncertainty": [],
        "data_quality": [
            {
                "kind": "insufficient_data",
                "message": "9 days of sales; a forecast needs 28.",
                "agent": "demand",
                "records": [],
            },
        ],
        "insufficient_data": {
            "reason": "The Glacier Parka has sold on 9 days; a forecast needs at least 28.",
            "needed": ["28 days of sales history", "or a similar product to borrow from"],
        },
        "evidence": [],
        "charts": [],
        "agents": [
            {
                "agent": "demand",
                "status": "ok",
                "duration_ms": 120.0,
                "records_read": 9,
                "confidence": 0.0,
                "error": None,
                "cache": "hit",
            },
        ],
        "preferences": {"kpis": [], "marketplaces": [], "goals": [], "margin_floor_percent": None},
        "similar_questions": [],
    }
