"""The edge cases (EC…) of the knowledge catalog, and their types.

`SEED_EDGE_CASES` is EC001 to EC018 exactly as seed 000 writes them (its list, pasted as
written; where the seed gives no workflow, `workflow` is None). `MERCATO_EDGE_CASES`
(`mercato_edge_case_data`) continues from EC019 with behaviours Mercato's tests prove that
the seed lacks. Which tests
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
