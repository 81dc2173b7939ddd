"""The analytics API's request and response bodies (the reports' own are in
`reports/shapes.py`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from mercato.agents.analytics.reports.shapes import Report
from mercato.kernel.schemas import RequestModel

ReportOut = Annotated[Report, Field(discriminator="report")]
"""Every report's answer, told apart by its `report`."""


class SettingsIn(RequestModel):
    time_zone: Annotated[
        str,
        Field(
            min_length=1,
            max_length=64,
            examples=["Europe/Paris"],
            description="The IANA time zone the store's days are counted in",
        ),
    ]


class SettingsOut(BaseModel):
    time_zone: str
