"""The edge cases (EC…) of the knowledge catalog, and their types.

`SEED_EDGE_CASES` is EC001 to EC018 exactly as seed 000 writes them (its list, pasted as
written; where the seed gives no workflow, `workflow` is None). `MERCATO_EDGE_CASES`
continues from EC019 with behaviours Mercato's tests prove that the seed lacks. Which tests
show an edge case is not written here: it is read from their `@pytest.mark.edge_case("EC…")`
markers (`edge_cases.covering_tests`), so it cannot drift from the tests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class EdgeCaseCategory(StrEnum):
    CONCURRENCY = "concurrency"
    NETWORK = "network"
    BOUNDARY = "boundary"
    DATA = "data"
    TIMING = "timing"
    SECURITY = "security"
    INTEGRATION = "integration"


class EdgeCaseSeverity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class EdgeCase:
    """An edge case: what happens, how to test it, and what the platform must do."""

    id: str
    name: str
    category: EdgeCaseCategory
    entity: str
    workflow: str | None = None
    description: str = ""
    test_approach: str = ""
    expected_behavior: str = ""
    severity: EdgeCaseSeverity = EdgeCaseSeverity.MEDIUM
    example_data: dict[str, Any] = field(default_factory=dict, hash=False)

    def as_dict(self) -> dict[str, Any]:
        """The edge case as plain JSON values (category and severity as their strings)."""
        return {
            **asdict(self),
            "category": self.category.value,
            "severity": self.severity.value,
        }


SEED_EDGE_CASES: tuple[EdgeCase, ...] = (
    # Concurrency Edge Cases
    EdgeCase(
        id="EC001",
        name="concurrent_cart_update",
        category=EdgeCaseCategory.CONCURRENCY,
        entity="cart",
        workflow="checkout",
        description="Two sessions update the same cart simultaneously",
        test_approach="Race condition testing with parallel requests modifying cart items",
        expected_behavior="Last write wins with optimistic locking, or conflict error returned",
        severity=EdgeCaseSeverity.HIGH,
        example_data={
            "scenario": "Two browser tabs adding items to same cart",
            "timing": "Requests within 100ms of each other",
        },
    ),
    EdgeCase(
        id="EC002",
        name="inventory_oversell",
        category=EdgeCaseCategory.CONCURRENCY,
        entity="order",
        workflow="checkout",
        description="Multiple orders for last item in stock placed simultaneously",
        test_approach="Parallel checkout requests for item with quantity=1",
        expected_behavior="Only one order succeeds, others fail with inventory error",
        severity=EdgeCaseSeverity.CRITICAL,
        example_data={
            "product_inventory": 1,
            "concurrent_orders": 5,
        },
    ),
    EdgeCase(
        id="EC003",
        name="double_payment_submission",
        category=EdgeCaseCategory.CONCURRENCY,
        entity="payment",
        workflow="checkout",
        description="User double-clicks payment button submitting twice",
        test_approach="Rapid duplicate POST requests to payment endpoint",
        expected_behavior="Idempotency key prevents duplicate charge",
        severity=EdgeCaseSeverity.CRITICAL,
        example_data={
            "idempotency_key": "same-key-both-requests",
            "time_between_requests": "50ms",
        },
    ),
    # Network Edge Cases
    EdgeCase(
        id="EC004",
        name="payment_timeout_after_success",
        category=EdgeCaseCategory.NETWORK,
        entity="payment",
        workflow="checkout",
        description="Payment gateway succeeds but response times out",
        test_approach="Inject network delay after payment gateway returns success",
        expected_behavior="Reconciliation job detects and completes order, or retry is idempotent",
        severity=EdgeCaseSeverity.CRITICAL,
        example_data={
            "gateway_response": "success",
            "timeout_point": "after_gateway_response",
        },
    ),
    EdgeCase(
        id="EC005",
        name="webhook_delivery_failure",
        category=EdgeCaseCategory.NETWORK,
        entity="payment",
        description="Payment webhook fails to deliver",
        test_approach="Block webhook endpoint, verify retry behavior",
        expected_behavior="Gateway retries webhook, system handles eventual delivery",
        severity=EdgeCaseSeverity.HIGH,
    ),
    # Boundary Edge Cases
    EdgeCase(
        id="EC006",
        name="cart_max_items",
        category=EdgeCaseCategory.BOUNDARY,
        entity="cart",
        description="Cart with maximum allowed items (100)",
        test_approach="Add 100 items to cart, attempt to add 101st",
        expected_behavior="101st item rejected with clear error message",
        severity=EdgeCaseSeverity.MEDIUM,
        example_data={
            "current_items": 100,
            "action": "add_item",
        },
    ),
    EdgeCase(
        id="EC007",
        name="item_quantity_boundary",
        category=EdgeCaseCategory.BOUNDARY,
        entity="cart_item",
        description="Item quantity at boundaries (0, 1, 99, 100)",
        test_approach="Test quantity updates at boundary values",
        expected_behavior="0 removes item, 1-99 accepted, 100+ rejected",
        severity=EdgeCaseSeverity.MEDIUM,
        example_data={
            "test_quantities": [0, 1, 99, 100],
        },
    ),
    EdgeCase(
        id="EC008",
        name="large_order_total",
        category=EdgeCaseCategory.BOUNDARY,
        entity="order",
        description="Order with very large total ($999,999.99)",
        test_approach="Create cart with high-value items summing to max",
        expected_behavior="System handles large amounts, fraud check may trigger",
        severity=EdgeCaseSeverity.MEDIUM,
    ),
    # Data Edge Cases
    EdgeCase(
        id="EC009",
        name="special_characters_in_names",
        category=EdgeCaseCategory.DATA,
        entity="customer",
        description="Customer name with special characters, unicode, emojis",
        test_approach="Create customers with names like: O'Brien, 日本語, 🎉",
        expected_behavior="All valid unicode names accepted and displayed correctly",
        severity=EdgeCaseSeverity.LOW,
        example_data={
            "test_names": ["O'Brien", "José García", "日本語", "🎉 Party"],
        },
    ),
    EdgeCase(
        id="EC010",
        name="product_with_zero_price",
        category=EdgeCaseCategory.DATA,
        entity="product",
        description="Free product or product with $0.00 price",
        test_approach="Add free product to cart, complete checkout",
        expected_behavior="Free products handled, may skip payment step",
        severity=EdgeCaseSeverity.MEDIUM,
    ),
    EdgeCase(
        id="EC011",
        name="empty_string_fields",
        category=EdgeCaseCategory.DATA,
        entity="customer",
        description="Required fields submitted as empty strings",
        test_approach="Submit forms with '' for required fields",
        expected_behavior="Empty strings treated as missing, validation fails",
        severity=EdgeCaseSeverity.MEDIUM,
    ),
    # Timing Edge Cases
    EdgeCase(
        id="EC012",
        name="checkout_at_midnight",
        category=EdgeCaseCategory.TIMING,
        entity="order",
        workflow="checkout",
        description="Checkout exactly at midnight when day changes",
        test_approach="Execute checkout at 23:59:59, verify date handling",
        expected_behavior="Order date is consistent throughout transaction",
        severity=EdgeCaseSeverity.LOW,
    ),
    EdgeCase(
        id="EC013",
        name="price_change_during_checkout",
        category=EdgeCaseCategory.TIMING,
        entity="cart",
        workflow="checkout",
        description="Product price changes while customer is checking out",
        test_approach="Update price between cart creation and payment",
        expected_behavior="Customer notified of price change, must re-confirm",
        severity=EdgeCaseSeverity.HIGH,
    ),
    EdgeCase(
        id="EC014",
        name="promotion_expires_during_checkout",
        category=EdgeCaseCategory.TIMING,
        entity="cart",
        workflow="checkout",
        description="Applied promotion expires during checkout process",
        test_approach="Apply promo, wait until expiry, attempt checkout",
        expected_behavior="Expired promo removed, customer notified",
        severity=EdgeCaseSeverity.MEDIUM,
    ),
    # Security Edge Cases
    EdgeCase(
        id="EC015",
        name="sql_injection_in_search",
        category=EdgeCaseCategory.SECURITY,
        entity="product",
        description="SQL injection attempt in product search",
        test_approach="Search with: '; DROP TABLE products; --",
        expected_behavior="Input sanitized, no SQL execution, search returns no results",
        severity=EdgeCaseSeverity.CRITICAL,
    ),
    EdgeCase(
        id="EC016",
        name="xss_in_review",
        category=EdgeCaseCategory.SECURITY,
        entity="review",
        description="XSS script in review content",
        test_approach="Submit review with: <script>alert('xss')</script>",
        expected_behavior="HTML escaped or sanitized, no script execution",
        severity=EdgeCaseSeverity.HIGH,
    ),
    # Integration Edge Cases
    EdgeCase(
        id="EC017",
        name="payment_gateway_down",
        category=EdgeCaseCategory.INTEGRATION,
        entity="payment",
        workflow="checkout",
        description="Payment gateway is unavailable",
        test_approach="Mock gateway to return 503, attempt checkout",
        expected_behavior="Graceful error, suggest retry or alternate payment",
        severity=EdgeCaseSeverity.HIGH,
    ),
    EdgeCase(
        id="EC018",
        name="shipping_api_timeout",
        category=EdgeCaseCategory.INTEGRATION,
        entity="shipment",
        workflow="checkout",
        description="Shipping rate API times out",
        test_approach="Mock shipping API with 30s delay",
        expected_behavior="Timeout with fallback rates or retry option",
        severity=EdgeCaseSeverity.MEDIUM,
    ),
)
"""EC001 to EC018 from seed 000, every field as the seed writes it."""

MERCATO_EDGE_CASES: tuple[EdgeCase, ...] = (
    EdgeCase(
        id="EC019",
        name="idempotency_key_forgotten_by_gateway",
        category=EdgeCaseCategory.INTEGRATION,
        entity="payment",
        workflow="checkout",
        description="The gateway forgets idempotency keys after 24 hours (Stripe does), and "
        "an authorization whose answer was lost is looked up after that",
        test_approach="Lose the gateway's answer to an authorization, make the gateway forget "
        "its idempotency keys, then look the payment up",
        expected_behavior="The lookup finds the authorization by the key kept in its metadata "
        "and never re-sends the create, so nothing is authorized twice; a key that never "
        "reached the gateway is reported as no authorization",
        severity=EdgeCaseSeverity.CRITICAL,
        example_data={
            "gateway": "stripe",
            "key_retention": "24h",
            "idempotency_key": "pay-11:authorize",
        },
    ),
    EdgeCase(
        id="EC020",
        name="refund_notices_out_of_order",
        category=EdgeCaseCategory.NETWORK,
        entity="payment",
        description="Gateway refund notices carry the running refunded total and arrive late "
        "or twice",
        test_approach="Capture 100.00, deliver refund notices with running totals 30.00 and "
        "50.00, then the 30.00 notice again, late",
        expected_behavior="Each refund counted once: 50.00 refunded in all, the payment "
        "partially refunded, the late notice ignored",
        severity=EdgeCaseSeverity.HIGH,
        example_data={
            "captured": "100.00",
            "notices": ["30.00", "50.00", "30.00"],
            "refunded": "50.00",
        },
    ),
    EdgeCase(
        id="EC021",
        name="compensation_keeps_failing",
        category=EdgeCaseCategory.INTEGRATION,
        entity="order",
        workflow="checkout",
        description="A saga's compensation (such as voiding an authorization) keeps failing "
        "because the outside system is down",
        test_approach="Fail a saga's last step while an earlier step's compensation raises, "
        "then let it work and resume; void an authorization during a gateway outage",
        expected_behavior="The saga stays compensating without undoing anything out of order, "
        "and a later retry finishes the compensation (the void is retried until done, once)",
        severity=EdgeCaseSeverity.HIGH,
        example_data={
            "steps": ["one", "two", "three"],
            "failing_compensation": "two",
            "state_until_retry": "compensating",
        },
    ),
    EdgeCase(
        id="EC022",
        name="step_acted_outside_then_failed",
        category=EdgeCaseCategory.INTEGRATION,
        entity="payment",
        workflow="checkout",
        description="A saga step acts on an outside system (the gateway authorizes) and then "
        "raises or times out before its result is recorded",
        test_approach="Make a step raise after its outside effect; time out the authorize step "
        "after the gateway said yes, then compensate",
        expected_behavior="The failing step's own compensation runs too, before the earlier "
        "steps': the gateway's authorization is found by its key and voided",
        severity=EdgeCaseSeverity.CRITICAL,
        example_data={
            "step": "authorize",
            "gateway_response": "success",
            "compensation": "void by the step's idempotency key",
        },
    ),
    EdgeCase(
        id="EC023",
        name="server_killed_mid_checkout",
        category=EdgeCaseCategory.TIMING,
        entity="order",
        workflow="checkout",
        description="The server process is killed (SIGKILL) during checkouts, at each step of "
        "their saga, and restarted",
        test_approach="Run checkouts against a real server, kill it while orders are placed, "
        "while they are paid, and while a declined checkout is undone; start a new server",
        expected_behavior="Every order ends confirmed (stock allocated, payment authorized) or "
        "cancelled (stock released, nothing left authorized at the gateway); no stock is lost",
        severity=EdgeCaseSeverity.CRITICAL,
        example_data={
            "signal": "SIGKILL",
            "kill_points": ["place", "pay", "compensating place"],
            "concurrent_checkouts": 4,
        },
    ),
    EdgeCase(
        id="EC024",
        name="cart_checked_out_twice_with_two_keys",
        category=EdgeCaseCategory.CONCURRENCY,
        entity="cart",
        workflow="checkout",
        description="One cart is checked out twice at once with two different idempotency keys "
        "(two tabs, two devices)",
        test_approach="Send two concurrent checkout requests for the same cart, each with its "
        "own Idempotency-Key",
        expected_behavior="One order is confirmed and authorized; the other request gets 409 "
        "(the cart is no longer active or has changed) and is charged nothing",
        severity=EdgeCaseSeverity.CRITICAL,
        example_data={
            "concurrent_checkouts": 2,
            "idempotency_keys": "one per request",
            "loser_codes": ["cart_not_active", "cart_version_conflict"],
        },
    ),
    EdgeCase(
        id="EC025",
        name="modified_total_not_authorizable",
        category=EdgeCaseCategory.INTEGRATION,
        entity="order",
        description="A confirmed order is changed to a higher total and the gateway cannot "
        "authorize the new total",
        test_approach="Confirm an order of 2 units, take the gateway down, change the line to 3",
        expected_behavior="503 payment_gateway_unavailable; the order, its reserved stock and "
        "its authorization stay as they were",
        severity=EdgeCaseSeverity.HIGH,
        example_data={
            "quantity_from": 2,
            "quantity_to": 3,
            "gateway": "unavailable",
        },
    ),
    EdgeCase(
        id="EC026",
        name="idempotency_key_reused_for_another_request",
        category=EdgeCaseCategory.DATA,
        entity="order",
        workflow="checkout",
        description="A client sends an Idempotency-Key again with a different request body",
        test_approach="Check out with a key, then send another checkout body (another email) "
        "with the same key; ask the gateway with the same key for another amount",
        expected_behavior="Refused (422 idempotency_key_reused; the gateway answers an "
        "idempotency error) and nothing new is created",
        severity=EdgeCaseSeverity.HIGH,
        example_data={
            "idempotency_key": "same-key-both-requests",
            "changed_field": "email",
            "error_code": "idempotency_key_reused",
        },
    ),
    EdgeCase(
        id="EC027",
        name="forged_or_stale_webhook",
        category=EdgeCaseCategory.SECURITY,
        entity="payment",
        description="A payment webhook arrives with a tampered body, a wrong or missing "
        "signature, or a signature older than the tolerance (a replay)",
        test_approach="Post a webhook whose body was changed after signing, one unsigned, and "
        "one signed long ago",
        expected_behavior="Rejected as an invalid signature (400 invalid_webhook_signature); "
        "the payment is unchanged",
        severity=EdgeCaseSeverity.CRITICAL,
        example_data={
            "tampering": "captured -> voided",
            "tolerance_seconds": 300,
        },
    ),
    EdgeCase(
        id="EC028",
        name="payment_authorized_after_reservation_expired",
        category=EdgeCaseCategory.TIMING,
        entity="order",
        workflow="checkout",
        description="A pending order's payment is authorized only after its stock reservation "
        "expired",
        test_approach="Place an order without confirming it, move the clock past the "
        "reservation's lifetime, then report the authorization",
        expected_behavior="The order is cancelled (reservation_expired), the authorization is "
        "voided, and the stock stays available",
        severity=EdgeCaseSeverity.HIGH,
        example_data={
            "reservation_ttl_seconds": 900,
            "authorized_after_seconds": 901,
            "cancel_reason": "reservation_expired",
        },
    ),
)
"""From EC019: behaviours Mercato's tests prove that the seed does not list."""
