"""The local PayPal's payment resources: vault tokens, orders, authorizations, captures
and refunds, answering as PayPal does (`(status, body)` or an error response).

An authorization may be captured several times: `final_capture: false` leaves it
`PARTIALLY_CAPTURED` with the rest capturable, a final capture (or one that reaches the
authorized amount) leaves it `CAPTURED`; a capture above what is left is refused
(`MAX_CAPTURE_AMOUNT_EXCEEDED`); voiding a partially captured one releases the rest. Each
refund is refunded from one capture, and listed in the order's `payments.refunds`."""

from __future__ import annotations

from typing import Any

from tests.fakes.paypal_wire import CARDS, Outcome, error
from tests.fakes.paypal_wire import now as _now


class PayPalPayments:
    vault: dict[str, dict[str, Any]]
    orders: dict[str, dict[str, Any]]
    authorizations: dict[str, dict[str, Any]]
    captures: dict[str, dict[str, Any]]
    refunds: dict[str, dict[str, Any]]
    _outcomes: dict[str, Outcome | None]
    _declining_orders: set[str]

    def _id(self, prefix: str = "") -> str:
        raise NotImplementedError

    def _emit(
        self, event_type: str, resource_type: str, resource: dict[str, Any]
    ) -> dict[str, Any]:
        raise NotImplementedError

    # -- vault -----------------------------------------------------------------------------

    def _setup_token(self, _: str, body: dict[str, Any]) -> Any:
        card = (body.get("payment_source") or {}).get("card") or {}
        number = str(card.get("number", ""))
        if not number.isdigit():
            return error(400, "INVALID_REQUEST", "INVALID_PARAMETER_SYNTAX")
        brand, outcome = CARDS.get(number, ("VISA", None))
        token_id = self._id()
        self.vault[token_id] = {"brand": brand, "last_digits": number[-4:], "setup": True}
        self._outcomes[token_id] = outcome
        return 201, {
            "id": token_id,
            "customer": {"id": self._id("CUST-")},
            "status": "APPROVED",
            "payment_source": {
                "card": {"brand": brand, "last_digits": number[-4:], "expiry": card["expiry"]}
            },
            "links": [],
        }

    def _payment_token(self, _: str, body: dict[str, Any]) -> Any:
        source = (body.get("payment_source") or {}).get("token") or {}
        setup = self.vault.get(str(source.get("id")))
        if source.get("type") != "SETUP_TOKEN" or setup is None or not setup["setup"]:
            return error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        token_id = self._id()
        self.vault[token_id] = {**setup, "setup": False}
        self._outcomes[token_id] = self._outcomes[str(source["id"])]
        card = {"brand": setup["brand"], "last_digits": setup["last_digits"]}
        return 201, {
            "id": token_id,
            "customer": {"id": self._id("CUST-")},
            "payment_source": {"card": card},
        }

    # -- orders and payments ---------------------------------------------------------------

    def _create_order(self, _: str, body: dict[str, Any]) -> Any:
        unit = (body.get("purchase_units") or [{}])[0]
        amount = unit.get("amount") or {}
        if body.get("intent") not in ("AUTHORIZE", "CAPTURE") or "value" not in amount:
            return error(400, "INVALID_REQUEST", "MISSING_REQUIRED_PARAMETER")
        vault_id = ((body.get("payment_source") or {}).get("card") or {}).get("vault_id")
        if vault_id is not None and vault_id not in self.vault:
            return error(422, "UNPROCESSABLE_ENTITY", "INVALID_RESOURCE_ID")
        outcome = self._outcomes.get(vault_id) if vault_id else None
        if outcome is not None and outcome[0] == "error":
            return error(422, "UNPROCESSABLE_ENTITY", outcome[1])
        order_id = self._id()
        unit = {"reference_id": unit.get("reference_id", "default"), **unit, "payments": {}}
        order: dict[str, Any] = {
            "id": order_id,
            "intent": body["intent"],
            "status": "CREATED",
            "purchase_units": [unit],
            "create_time": _now(),
            "links": [{"href": f"https://www.sandbox.paypal.com/checkoutnow?token={order_id}",
                       "rel": "approve", "method": "GET"}],
        }  # fmt: skip
        self.orders[order_id] = order
        if vault_id is None:
            return 201, order
        card = self.vault[vault_id]
        order["payment_source"] = {
            "card": {"brand": card["brand"], "last_digits": card["last_digits"], "type": "CREDIT"}
        }
        self._authorize(order, denied=outcome[1] if outcome else None)
        return 201, order

    def checkout(self, value: str, currency: str = "USD", *, decline: bool = False) -> str:
        """A buyer checks out with PayPal: an order they approved (whose funding declines
        at authorization, if asked), as the PayPal buttons leave it. Its id is the token."""
        reply = self._create_order(
            "",
            {
                "intent": "AUTHORIZE",
                "purchase_units": [{"amount": {"currency_code": currency, "value": value}}],
            },
        )
        order_id = str(reply[1]["id"])
        self.approve(order_id, decline=decline)
        return order_id

    def approve(self, order_id: str, *, decline: bool = False) -> None:
        """The buyer approves the order at PayPal (its funding then declines, if asked)."""
        self.orders[order_id]["status"] = "APPROVED"
        if decline:
            self._declining_orders.add(order_id)

    def _authorize(self, order: dict[str, Any], *, denied: str | None) -> dict[str, Any]:
        unit = order["purchase_units"][0]
        auth_id = self._id()
        auth: dict[str, Any] = {
            "id": auth_id,
            "status": "DENIED" if denied else "CREATED",
            "amount": dict(unit["amount"]),
            "custom_id": unit.get("custom_id"),
            "processor_response": {
                "avs_code": "Y",
                "cvv_code": "N" if denied == "5110" else "M",
                "response_code": denied or "0000",
            },
            "supplementary_data": {"related_ids": {"order_id": order["id"]}},
            "create_time": _now(),
            "update_time": _now(),
            "links": [{"href": f"/v2/payments/authorizations/{auth_id}", "rel": "self",
                       "method": "GET"}],
        }  # fmt: skip
        self.authorizations[auth_id] = auth
        unit["payments"]["authorizations"] = [auth]
        order["status"] = "COMPLETED"
        if not denied:
            self._emit("PAYMENT.AUTHORIZATION.CREATED", "authorization", auth)
        return auth

    def _authorize_order(self, order_id: str, _: dict[str, Any]) -> Any:
        order = self.orders.get(order_id)
        if order is None:
            return error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        if order["status"] == "COMPLETED":
            return error(422, "UNPROCESSABLE_ENTITY", "ORDER_ALREADY_AUTHORIZED")
        if order["status"] != "APPROVED":
            return error(422, "UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVED")
        if order_id in self._declining_orders:
            return error(422, "UNPROCESSABLE_ENTITY", "INSTRUMENT_DECLINED")
        self._authorize(order, denied=None)
        return 201, order

    def _get_order(self, order_id: str, _: dict[str, Any]) -> Any:
        order = self.orders.get(order_id)
        return (200, order) if order else error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")

    def _get_authorization(self, auth_id: str, _: dict[str, Any]) -> Any:
        auth = self.authorizations.get(auth_id)
        return (200, auth) if auth else error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")

    def _get_capture(self, capture_id: str, _: dict[str, Any]) -> Any:
        capture = self.captures.get(capture_id)
        return (
            (200, capture) if capture else error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        )

    def _captured_of(self, auth_id: str) -> float:
        return sum(
            float(c["amount"]["value"])
            for c in self.captures.values()
            if c["supplementary_data"]["related_ids"]["authorization_id"] == auth_id
        )

    def _capture(self, auth_id: str, body: dict[str, Any]) -> Any:
        auth = self.authorizations.get(auth_id)
        if auth is None:
            return error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        if auth["status"] not in ("CREATED", "PARTIALLY_CAPTURED"):
            issue = {"CAPTURED": "AUTHORIZATION_ALREADY_CAPTURED", "VOIDED": "AUTHORIZATION_VOIDED"}
            return error(422, "UNPROCESSABLE_ENTITY", issue.get(auth["status"], "DENIED"))
        left = float(auth["amount"]["value"]) - self._captured_of(auth_id)
        amount = body.get("amount") or {**auth["amount"], "value": f"{left:.2f}"}
        if float(amount["value"]) > left + 1e-9:
            return error(422, "UNPROCESSABLE_ENTITY", "MAX_CAPTURE_AMOUNT_EXCEEDED")
        final = bool(body.get("final_capture", False))
        capture_id = self._id()
        order_id = auth["supplementary_data"]["related_ids"]["order_id"]
        capture: dict[str, Any] = {
            "id": capture_id,
            "status": "COMPLETED",
            "amount": dict(amount),
            "final_capture": final,
            "custom_id": auth.get("custom_id"),
            "supplementary_data": {
                "related_ids": {"order_id": order_id, "authorization_id": auth_id}
            },
            "refunded": "0",
            "create_time": _now(),
            "links": [{"href": f"/v2/payments/authorizations/{auth_id}", "rel": "up",
                       "method": "GET"}],
        }  # fmt: skip
        self.captures[capture_id] = capture
        closed = final or float(amount["value"]) >= left - 1e-9
        auth.update(status="CAPTURED" if closed else "PARTIALLY_CAPTURED", update_time=_now())
        unit = self.orders[order_id]["purchase_units"][0]
        unit["payments"].setdefault("captures", []).append(capture)
        self._emit("PAYMENT.CAPTURE.COMPLETED", "capture", capture)
        return 201, capture

    def _void(self, auth_id: str, _: dict[str, Any]) -> Any:
        auth = self.authorizations.get(auth_id)
        if auth is None:
            return error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        if auth["status"] == "CAPTURED":
            return error(422, "UNPROCESSABLE_ENTITY", "PREVIOUSLY_CAPTURED")
        if auth["status"] == "VOIDED":
            return error(422, "UNPROCESSABLE_ENTITY", "PREVIOUSLY_VOIDED")
        # CREATED, or PARTIALLY_CAPTURED: the rest is released, the captures stay
        auth.update(status="VOIDED", update_time=_now())
        self._emit("PAYMENT.AUTHORIZATION.VOIDED", "authorization", auth)
        return 200, auth

    def _refund(self, capture_id: str, body: dict[str, Any]) -> Any:
        capture = self.captures.get(capture_id)
        if capture is None:
            return error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        captured = float(capture["amount"]["value"])
        remaining = captured - float(capture["refunded"])
        amount = body.get("amount") or {**capture["amount"], "value": f"{remaining:.2f}"}
        if remaining <= 0:
            return error(422, "UNPROCESSABLE_ENTITY", "CAPTURE_FULLY_REFUNDED")
        if float(amount["value"]) > remaining + 1e-9:
            return error(422, "UNPROCESSABLE_ENTITY", "REFUND_AMOUNT_EXCEEDED")
        refund_id = self._id()
        refunded = float(capture["refunded"]) + float(amount["value"])
        currency = amount["currency_code"]
        refund = {
            "id": refund_id,
            "status": "COMPLETED",
            "amount": dict(amount),
            "invoice_id": body.get("invoice_id"),
            "seller_payable_breakdown": {
                "gross_amount": dict(amount),
                "total_refunded_amount": {"currency_code": currency, "value": f"{refunded:.2f}"},
            },
            "create_time": _now(),
            "links": [{"href": f"/v2/payments/captures/{capture_id}", "rel": "up",
                       "method": "GET"}],
        }  # fmt: skip
        self.refunds[refund_id] = refund
        capture["refunded"] = f"{refunded:.2f}"
        capture["status"] = "REFUNDED" if refunded >= captured else "PARTIALLY_REFUNDED"
        order_id = capture["supplementary_data"]["related_ids"]["order_id"]
        unit = self.orders[order_id]["purchase_units"][0]
        unit["payments"].setdefault("refunds", []).append(refund)
        self._emit("PAYMENT.CAPTURE.REFUNDED", "refund", refund)
        return 201, refund
