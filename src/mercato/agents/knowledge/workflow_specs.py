"""The workflows of seed 000 as Mercato performs them. Each step names the function (and,
in a saga, the saga step) that performs it, as a dotted path the catalog resolves against
the running code: a step whose code moved or vanished shows as not performed, never as a
stale claim. `performed_by` None: no Mercato code performs the step (the seed's description)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepSpec:
    name: str
    description: str
    entity: str
    action: str  # create, update, validate, delete, notify
    validations: tuple[str, ...] = ()
    possible_outcomes: tuple[str, ...] = ()
    performed_by: str | None = None
    saga_step: str | None = None


@dataclass(frozen=True)
class WorkflowSpec:
    name: str
    description: str
    steps: tuple[StepSpec, ...]
    involved_entities: tuple[str, ...]
    business_rules: tuple[str, ...] = ()
    """The rules the workflow's steps enforce, as the registry holds them; one no code
    registers (its agent not loaded, its rule removed) is reported as missing by the catalog."""
    test_scenarios: tuple[str, ...] = ()
    saga: str | None = None


CHECKOUT = WorkflowSpec(
    "checkout",
    "From a cart to a confirmed order: POST /v1/checkout runs the checkout saga (place, pay)",
    (
        StepSpec(
            "cart_validation",
            "Validate the cart's lines, prices and totals",
            "cart",
            "validate",
            ("items_exist", "prices_current", "BR001", "BR002", "BR003"),
            ("valid", "cart_prices_changed", "cart_not_checkoutable", "cart_not_active"),
            "mercato.agents.cart.service.validate",
            "place",
        ),
        StepSpec(
            "inventory_reservation",
            "Reserve every line for 15 minutes (BR018)",
            "inventory",
            "update",
            ("sufficient_stock", "BR014"),
            ("reserved", "insufficient_stock"),
            "mercato.agents.inventory.service.reserve",
            "place",
        ),
        StepSpec(
            "pricing_calculation",
            "Totals with tax by country and region and shipping",
            "cart",
            "update",
            ("tax_calculated", "shipping_calculated"),
            ("calculated", "shipping_unavailable"),
            "mercato.agents.cart.service.price",
            "place",
        ),
        StepSpec(
            "shipping_selection",
            "A shipping address for physical items, and the shipping option the shopper chose "
            "from the carriers' rates (or the store's standard shipping)",
            "order",
            "validate",
            ("BR005",),
            ("selected", "br005_shipping_address_required"),
            "mercato.agents.orders.service.place",
            "place",
        ),
        StepSpec(
            "order_creation",
            "A pending order with its number, lines and totals",
            "order",
            "create",
            ("BR002", "BR005"),
            ("created",),
            "mercato.agents.orders.service.place",
            "place",
        ),
        StepSpec(
            "payment_processing",
            "Fraud screening, then authorization at the gateway",
            "payment",
            "create",
            ("BR004", "BR007", "BR008", "fraud_check"),
            (
                "authorized",
                "payment_declined",
                "manual_review",
                "payment_gateway_unavailable",
                "unknown (reconciled later)",
            ),
            "mercato.agents.payments.service.authorize_at_gateway",
            "pay",
        ),
        StepSpec(
            "confirmation",
            "The order confirmed, its stock allocated, the cart checked out",
            "order",
            "update",
            ("payment_authorized", "inventory_reserved"),
            ("confirmed", "reservation_not_active"),
            "mercato.agents.orders.service.confirm",
            "pay",
        ),
        StepSpec(
            "confirmation_notice",
            "Send the order confirmation to the customer",
            "order",
            "notify",
            ("email_valid",),
            ("sent", "delivery_failed"),
        ),
    ),
    ("cart", "cart_item", "inventory", "customer", "payment", "order", "order_item"),
    ("BR001", "BR002", "BR003", "BR004", "BR005", "BR007", "BR008", "BR014", "BR018"),
    ("happy_path", "payment_declined", "inventory_conflict", "gateway_down", "free_order"),
    saga="checkout",
)

RETURN_FLOW = WorkflowSpec(
    "return_flow",
    "A shopper's return of delivered units, from request to refund: POST "
    "/v1/orders/{id}/returns, staff's approve, receive and inspect, then the return_refund saga "
    "(restock, settle)",
    (
        StepSpec(
            "return_request",
            "The shopper asks to return some units of delivered lines, within 30 days of "
            "delivery (BR009; staff may accept a late one with a recorded note)",
            "return",
            "create",
            ("BR009", "units_delivered", "units_not_already_returned"),
            ("requested", "br009_return_window", "units_not_returnable", "invalid_return"),
            "mercato.agents.returns.service.request_return",
        ),
        StepSpec(
            "return_approval",
            "Screened (too many returns, high value) returns wait for staff; staff approve or "
            "reject",
            "return",
            "update",
            ("not_fraudulent",),
            ("approved", "rejected", "pending_review"),
            "mercato.agents.returns.service.approve",
        ),
        StepSpec(
            "return_shipment",
            "A return label from the shopper back to the location that shipped the units",
            "shipment",
            "create",
            ("address_valid",),
            ("label_generated", "carrier_unavailable (made later by staff)"),
            "mercato.agents.returns.service.make_label",
        ),
        StepSpec(
            "item_receipt",
            "Receive the parcel (units not in it are missing) and inspect each item's "
            "condition: a full refund only in the original condition (BR010)",
            "return",
            "update",
            ("item_received", "BR010"),
            (
                "received",
                "missing_items",
                "full_refund",
                "partial_refund",
                "br010_return_condition",
            ),
            "mercato.agents.returns.handling.inspect",
        ),
        StepSpec(
            "inventory_update",
            "Restock sellable items to their location; write the others off",
            "inventory",
            "update",
            ("item_sellable",),
            ("restocked", "written_off"),
            "mercato.agents.returns.refund_saga.restock",
            "restock",
        ),
        StepSpec(
            "refund_processing",
            "Refund to the original payment method, or store credit (asked for, or when the "
            "card cannot take it: expired); an exchange gets a replacement order instead",
            "payment",
            "create",
            ("amount_calculated", "refund_not_above_captured"),
            ("refunded", "store_credit", "exchanged", "payment_gateway_unavailable"),
            "mercato.agents.returns.refund_saga.settle",
            "settle",
        ),
    ),
    ("order", "return", "shipment", "inventory", "payment"),
    ("BR009", "BR010"),
    ("happy_path", "partial_return", "damaged_item", "outside_window"),
    saga="return_refund",
)

CART_ABANDONMENT = WorkflowSpec(
    "cart_abandonment",
    "Carts idle for an hour are announced once per idle spell (cart.abandoned)",
    (
        StepSpec(
            "abandonment_detection",
            "Find carts idle past the threshold (BR020)",
            "cart",
            "validate",
            ("inactive_duration", "has_items", "BR020"),
            ("abandoned", "still_active", "empty"),
            "mercato.agents.cart.abandonment.detect_abandoned",
        ),
        StepSpec(
            "recovery_email",
            "Send cart recovery email",
            "customer",
            "notify",
            ("email_subscribed", "not_recently_contacted"),
            ("sent", "unsubscribed", "too_recent"),
        ),
        StepSpec(
            "incentive_offer",
            "Optionally apply a discount incentive",
            "cart",
            "update",
            ("eligible_for_discount",),
            ("discount_applied", "not_eligible"),
            "mercato.agents.cart.service.apply_code",
        ),
    ),
    ("cart", "customer", "discount_code"),
    ("BR020",),
    ("abandoned", "recovered", "unsubscribed"),
)

INVENTORY_SYNC = WorkflowSpec(
    "inventory_sync",
    "A warehouse's stock feed compared with the system; big differences wait for review",
    (
        StepSpec(
            "fetch_warehouse_levels",
            "Take the warehouse's feed (JSON or CSV)",
            "inventory",
            "validate",
            ("feed_well_formed",),
            ("fetched", "invalid_feed"),
            "mercato.agents.inventory.sync.sync_feed",
        ),
        StepSpec(
            "compare_levels",
            "Compare the feed with the system's on-hand counts",
            "inventory",
            "validate",
            ("levels_match",),
            ("in_sync", "discrepancy_found"),
            "mercato.agents.inventory.sync.sync_feed",
        ),
        StepSpec(
            "update_inventory",
            "Apply small differences; hold big ones (BR019)",
            "inventory",
            "update",
            ("BR019",),
            ("updated", "manual_review_required", "stock_moved_since_feed"),
            "mercato.agents.inventory.sync.decide",
        ),
    ),
    ("inventory", "product_variant"),
    ("BR019",),
    ("in_sync", "small_drift", "large_discrepancy"),
)

WORKFLOWS: tuple[WorkflowSpec, ...] = (CHECKOUT, RETURN_FLOW, CART_ABANDONMENT, INVENTORY_SYNC)
