"""What an analysis agent is given: the kernel, who asked, the scope and its products, the
mode, the time, and its record budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from mercato.agents.intelligence.ask.limits import RecordBudget
from mercato.agents.intelligence.ask.products import ScopedProduct
from mercato.agents.intelligence.ask.scope import Mode, Period, Scope, last_days
from mercato.kernel.auth import Principal

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

DEFAULT_DAYS = 30


@dataclass
class AnalystContext:
    kernel: Kernel
    principal: Principal
    scope: Scope
    products: list[ScopedProduct]
    mode: Mode
    now: datetime
    budget: RecordBudget
    allow_crawl: bool = False
    """Deep mode may run the competitor sources again (when the store allows it)."""
    notes: list[str] = field(default_factory=list)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def period(self) -> Period:
        """The period the history is read over: the question's, or the last 30 days when it
        names none or names one still to come ("next month" asks for a forecast)."""
        found = self.scope.period
        if found is None or found.start >= self.today:
            return last_days(self.today, DEFAULT_DAYS)
        return found

    @property
    def deep(self) -> bool:
        return self.mode is Mode.DEEP

    def names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.products}

    def scope_label(self) -> str:
        if self.scope.product_names:
            return ", ".join(self.scope.product_names)
        if self.scope.category_name:
            return self.scope.category_name
        return "the store"
