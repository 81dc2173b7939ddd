"""What each report answers: the frame every report shares (its period, time zone and
currency), its `totals` over the period and its `rows`. Amounts are decimal strings in the
report's currency; rates are shares between 0 and 1 (null when their base is 0)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mercato.agents.analytics.calendar import Granularity
from mercato.kernel.money import MoneyStr

Rate = float | None


class Frame(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    report: str
    from_: date = Field(alias="from", description="The first store-local day covered")
    to: date = Field(description="The last store-local day covered")
    granularity: Granularity
    time_zone: str = Field(description="The store's time zone, its days are counted in")
    currency: str = Field(description="The currency of every amount of the report")
    currencies: list[str] = Field(
        description="The currencies of the period's orders (ask for another with `currency`)"
    )
    group_by: str | None
    merchant_id: str | None = Field(description="Set when these are a merchant's lines only")


# -- sales ----------------------------------------------------------------------------------


class SalesFigures(BaseModel):
    gross_revenue: MoneyStr = Field(description="Merchandise sold, before order discounts")
    discounts: MoneyStr | None = Field(description="Null for lines: discounts are the order's")
    shipping: MoneyStr | None
    tax: MoneyStr | None
    revenue: MoneyStr = Field(
        description="What was charged (the orders' totals; for lines, theirs)"
    )
    refunds: MoneyStr | None = Field(description="Refunded in the period (on the refund's day)")
    net_revenue: MoneyStr | None = Field(description="Revenue less refunds")
    orders: int
    units: int
    aov: MoneyStr | None = Field(description="Average order value: revenue / orders")


class SalesRow(SalesFigures):
    bucket: date
    group: str | None = Field(description="The group's key (category, product, merchant, channel)")
    label: str | None = Field(description="The group's name")


class SalesReport(Frame):
    report: Literal["sales"] = "sales"
    totals: SalesFigures
    rows: list[SalesRow]


# -- orders ---------------------------------------------------------------------------------


class OrdersFigures(BaseModel):
    placed: int = Field(description="Orders placed, whatever became of them")
    orders: int = Field(description="Sales: confirmed, shipped or delivered")
    pending: int
    cancelled: int
    revenue: MoneyStr
    aov: MoneyStr | None
    discounts: MoneyStr
    refunds: MoneyStr
    refunded_orders: int
    refund_rate: Rate = Field(description="Refunds / revenue")


class OrdersRow(OrdersFigures):
    bucket: date


class OrdersReport(Frame):
    report: Literal["orders"] = "orders"
    totals: OrdersFigures
    rows: list[OrdersRow]


# -- the funnel ---------------------------------------------------------------------------


class FunnelFigures(BaseModel):
    sessions: int = Field(description="Guest visits")
    carts: int = Field(description="Carts a line was put in")
    checkouts: int = Field(description="Checkouts started (orders placed)")
    orders: int = Field(description="Orders confirmed")
    cart_rate: Rate = Field(description="carts / sessions")
    checkout_rate: Rate = Field(description="checkouts / carts")
    order_rate: Rate = Field(description="orders / checkouts")
    conversion_rate: Rate = Field(description="orders / sessions")


class FunnelRow(FunnelFigures):
    bucket: date


class FunnelReport(Frame):
    report: Literal["funnel"] = "funnel"
    totals: FunnelFigures
    rows: list[FunnelRow]


# -- top products and categories -------------------------------------------------------------


class TopFigures(BaseModel):
    revenue: MoneyStr
    units: int
    orders: int


class TopRow(TopFigures):
    rank: int
    id: str | None = Field(description="The product's or category's id (null: no category)")
    name: str | None
    revenue_share: Rate


class TopProductsReport(Frame):
    report: Literal["top-products"] = "top-products"
    totals: TopFigures
    rows: list[TopRow]


class TopCategoriesReport(Frame):
    report: Literal["top-categories"] = "top-categories"
    totals: TopFigures
    rows: list[TopRow]


# -- inventory -------------------------------------------------------------------------------


class InventoryFigures(BaseModel):
    variants: int
    units_sold: int
    on_hand: int
    turnover: Rate = Field(description="Units sold / average units on hand")


class InventoryRow(BaseModel):
    variant_id: str
    sku: str
    name: str | None
    units_sold: int = Field(description="In the period")
    on_hand: int = Field(description="Now")
    average_on_hand: float = Field(description="(On hand at the period's start + at its end) / 2")
    turnover: Rate = Field(description="units_sold / average_on_hand")
    daily_units: float = Field(description="Units sold a day over the last 30 days")
    days_of_cover: float | None = Field(description="on_hand / daily_units")


class InventoryReport(Frame):
    report: Literal["inventory"] = "inventory"
    totals: InventoryFigures
    rows: list[InventoryRow]


# -- customers and cohorts ------------------------------------------------------------------


class CustomersFigures(BaseModel):
    customers: int
    new_customers: int = Field(description="Whose first order is in the bucket")
    returning_customers: int
    orders: int
    new_customer_revenue: MoneyStr = Field(description="Revenue of first orders")
    returning_customer_revenue: MoneyStr = Field(description="Revenue of the other orders")


class CustomersRow(CustomersFigures):
    bucket: date


class CustomersReport(Frame):
    report: Literal["customers"] = "customers"
    totals: CustomersFigures
    rows: list[CustomersRow]


class CohortFigures(BaseModel):
    cohorts: int
    customers: int = Field(description="Customers whose first order is in the period")
    returned: int = Field(description="Of them, those who ordered in a later month")
    repeat_rate: Rate


class CohortRow(BaseModel):
    cohort: date = Field(description="The month of the customers' first order")
    size: int
    months_since: int
    customers: int = Field(description="Of the cohort, those who ordered that month")
    retention: Rate = Field(description="customers / size")


class CohortsReport(Frame):
    report: Literal["cohorts"] = "cohorts"
    totals: CohortFigures
    rows: list[CohortRow]


# -- carts ---------------------------------------------------------------------------------


class CartsFigures(BaseModel):
    carts: int = Field(description="Carts opened a line was put in")
    checked_out: int
    abandoned: int
    recovered: int = Field(description="Checked out after they were abandoned")
    abandoned_rate: Rate = Field(description="abandoned / carts")
    recovery_rate: Rate = Field(description="recovered / abandoned")
    recovered_revenue: MoneyStr


class CartsRow(CartsFigures):
    bucket: date


class CartsReport(Frame):
    report: Literal["carts"] = "carts"
    totals: CartsFigures
    rows: list[CartsRow]


# -- KPIs -------------------------------------------------------------------------------------


class KpiFigures(BaseModel):
    revenue: MoneyStr
    orders: int
    aov: MoneyStr | None
    sessions: int
    conversion_rate: Rate = Field(description="orders / sessions")
    refunds: MoneyStr
    refund_rate: Rate = Field(description="refunds / revenue")
    carts: int
    abandoned_rate: Rate = Field(description="abandoned carts / carts")


class KpiRow(KpiFigures):
    model_config = ConfigDict(populate_by_name=True)

    scope: Literal["today", "period"]
    from_: date = Field(alias="from")
    to: date


class KpisReport(Frame):
    report: Literal["kpis"] = "kpis"
    totals: KpiFigures = Field(description="The period's (the rows add today's)")
    rows: list[KpiRow]


Report = (
    SalesReport | OrdersReport | FunnelReport | TopProductsReport | TopCategoriesReport
    | InventoryReport | CustomersReport | CohortsReport | CartsReport | KpisReport
)  # fmt: skip
