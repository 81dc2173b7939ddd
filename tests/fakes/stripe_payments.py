"""The local Stripe's payment resources: PaymentMethods (test cards), PaymentIntents
(confirm, capture, cancel) and Refunds, answering as Stripe does (`(status, body)`).

Multicapture: a manual intent created with
`payment_method_options[card][request_multicapture]=if_available` may be captured several
times (`final_capture=false` keeps it `requires_capture` with what is left capturable) until
a final capture; without it, `final_capture=false` is refused. Cancelling it after some
captures releases the rest (the captured funds stay, and can be refunded)."""

from __future__ import annotations

import copy
import hashlib
import time
from typing import Any

from tests.fakes.stripe_cards import CARDS, TEST_PAYMENT_METHODS, Decline
from tests.fakes.stripe_cards import error as _error
from tests.fakes.stripe_cards import luhn as _luhn


class StripePayments:
    payment_methods: dict[str, dict[str, Any]]
    payment_intents: dict[str, dict[str, Any]]
    charges: dict[str, dict[str, Any]]
    refunds: dict[str, dict[str, Any]]
    _declines: dict[str, Decline | None]

    def _id(self, prefix: str) -> str:
        raise NotImplementedError

    def _emit(self, type_: str, obj: dict[str, Any], key: str | None) -> dict[str, Any]:
        raise NotImplementedError

    def _create_pm(self, _: str | None, p: dict[str, Any], __: str | None) -> tuple[int, Any]:
        card = p.get("card") or {}
        number = str(card.get("number", ""))
        if p.get("type") != "card" or not number:
            return _error(400, "invalid_request_error", "Missing card details.", param="card")
        if not _luhn(number):
            return _error(
                402,
                "card_error",
                "Your card number is incorrect.",
                code="incorrect_number",
                param="number",
            )
        brand, decline = CARDS.get(number, ("visa", None))
        pm_id = self._id("pm")
        self._declines[pm_id] = decline
        self.payment_methods[pm_id] = pm = {
            "id": pm_id,
            "object": "payment_method",
            "type": "card",
            "created": int(time.time()),
            "livemode": False,
            "metadata": {},
            "billing_details": p.get("billing_details", {}),
            "card": {
                "brand": brand,
                "last4": number[-4:],
                "exp_month": int(card.get("exp_month", 0)),
                "exp_year": int(card.get("exp_year", 0)),
                "funding": "credit",
                "country": "US",
                "fingerprint": hashlib.sha256(number.encode()).hexdigest()[:16],
            },
        }
        return 200, pm

    def _decline_of(self, pm_id: str) -> Decline | None:
        if pm_id in TEST_PAYMENT_METHODS:
            return CARDS[TEST_PAYMENT_METHODS[pm_id]][1]
        return self._declines.get(pm_id)

    def _create_pi(self, _: str | None, p: dict[str, Any], key: str | None) -> tuple[int, Any]:
        pm_id = p.get("payment_method")
        if pm_id not in self.payment_methods and pm_id not in TEST_PAYMENT_METHODS:
            return _error(
                400,
                "invalid_request_error",
                f"No such PaymentMethod: '{pm_id}'",
                code="resource_missing",
                param="payment_method",
            )
        amount = int(p["amount"])
        pi_id = self._id("pi")
        card_options = (p.get("payment_method_options") or {}).get("card") or {}
        multicapture = card_options.get("request_multicapture") == "if_available"
        pi: dict[str, Any] = {
            "id": pi_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_received": 0,
            "currency": p["currency"],
            "capture_method": p.get("capture_method", "automatic"),
            "confirmation_method": "automatic",
            "created": int(time.time()),
            "description": p.get("description"),
            "receipt_email": p.get("receipt_email"),
            "latest_charge": None,
            "last_payment_error": None,
            "livemode": False,
            "metadata": p.get("metadata", {}),
            "payment_method": pm_id,
            "payment_method_types": p.get("allowed_payment_method_types", ["card"]),
            "payment_method_options": {
                "card": {"request_multicapture": card_options.get("request_multicapture")}
            },
            "status": "requires_confirmation",
        }
        self.payment_intents[pi_id] = pi
        if p.get("confirm") != "true":
            return 200, pi
        decline = self._decline_of(str(pm_id))
        charge = self._charge(pi, paid=decline is None)
        if decline is not None:
            code, decline_code, message = decline
            error = {
                "type": "card_error",
                "code": code,
                "decline_code": decline_code,
                "message": message,
                "charge": charge["id"],
                "payment_method": {"id": pm_id, "object": "payment_method"},
            }
            pi.update(status="requires_payment_method", last_payment_error=error)
            self._emit("payment_intent.payment_failed", pi, key)
            return 402, {"error": {**error, "payment_intent": copy.deepcopy(pi)}}
        available = multicapture and pi["capture_method"] == "manual"
        charge["payment_method_details"] = {
            "type": "card",
            "card": {"multicapture": {"status": "available" if available else "unavailable"}},
        }
        if pi["capture_method"] == "manual":
            pi.update(status="requires_capture", amount_capturable=amount)
            self._emit("payment_intent.amount_capturable_updated", pi, key)
        else:
            pi.update(status="succeeded", amount_received=amount)
            charge.update(captured=True, amount_captured=amount)
            self._emit("payment_intent.succeeded", pi, key)
        return 200, pi

    def _charge(self, pi: dict[str, Any], *, paid: bool) -> dict[str, Any]:
        charge = {
            "id": self._id("ch"),
            "object": "charge",
            "amount": pi["amount"],
            "amount_captured": 0,
            "amount_refunded": 0,
            "captured": False,
            "currency": pi["currency"],
            "paid": paid,
            "status": "succeeded" if paid else "failed",
            "payment_intent": pi["id"],
            "refunded": False,
            "metadata": pi["metadata"],
        }
        self.charges[charge["id"]] = charge
        pi["latest_charge"] = charge["id"]
        return charge

    def _missing(self, pi_id: str | None) -> tuple[int, Any]:
        return _error(
            404,
            "invalid_request_error",
            f"No such payment_intent: '{pi_id}'",
            code="resource_missing",
            param="intent",
        )

    def _unexpected(self, pi: dict[str, Any], action: str) -> tuple[int, Any]:
        return _error(
            400,
            "invalid_request_error",
            f"This PaymentIntent could not be {action} because it is {pi['status']}.",
            code="payment_intent_unexpected_state",
            payment_intent=copy.deepcopy(pi),
        )

    def _get_pi(self, pi_id: str | None, _: dict[str, Any], __: str | None) -> tuple[int, Any]:
        pi = self.payment_intents.get(str(pi_id))
        return (200, pi) if pi is not None else self._missing(pi_id)

    def _multicapture(self, pi: dict[str, Any]) -> bool:
        charge = self.charges.get(str(pi["latest_charge"])) or {}
        card = (charge.get("payment_method_details") or {}).get("card") or {}
        return bool((card.get("multicapture") or {}).get("status") == "available")

    def _capture(self, pi_id: str | None, p: dict[str, Any], key: str | None) -> tuple[int, Any]:
        pi = self.payment_intents.get(str(pi_id))
        if pi is None:
            return self._missing(pi_id)
        if pi["status"] != "requires_capture":
            return self._unexpected(pi, "captured")
        final = p.get("final_capture", "true") != "false"
        if not final and not self._multicapture(pi):
            return _error(
                400,
                "invalid_request_error",
                "final_capture=false is only available for PaymentIntents with multicapture.",
                code="parameter_invalid",
                param="final_capture",
            )
        amount = int(p.get("amount_to_capture", pi["amount_capturable"]))
        if amount > pi["amount_capturable"]:
            return _error(
                400,
                "invalid_request_error",
                "The amount to capture exceeds the amount capturable.",
                code="amount_too_large",
                param="amount_to_capture",
            )
        received = pi["amount_received"] + amount
        left = pi["amount_capturable"] - amount
        charge = self.charges[pi["latest_charge"]]
        charge.update(captured=True, amount_captured=charge["amount_captured"] + amount)
        if final or left == 0:
            pi.update(status="succeeded", amount_received=received, amount_capturable=0)
            self._emit("payment_intent.succeeded", pi, key)
        else:
            pi.update(amount_received=received, amount_capturable=left)
            self._emit("payment_intent.amount_capturable_updated", pi, key)
        return 200, pi

    def _cancel(self, pi_id: str | None, p: dict[str, Any], key: str | None) -> tuple[int, Any]:
        pi = self.payment_intents.get(str(pi_id))
        if pi is None:
            return self._missing(pi_id)
        if pi["status"] in ("succeeded", "canceled"):
            return self._unexpected(pi, "canceled")
        pi.update(
            status="canceled",
            amount_capturable=0,
            cancellation_reason=p.get("cancellation_reason", "requested_by_customer"),
        )
        self._emit("payment_intent.canceled", pi, key)
        return 200, pi

    def _create_refund(self, _: str | None, p: dict[str, Any], key: str | None) -> tuple[int, Any]:
        pi = self.payment_intents.get(str(p.get("payment_intent")))
        if pi is None:
            return self._missing(p.get("payment_intent"))
        charge = self.charges.get(str(pi["latest_charge"]))
        if charge is None or charge["amount_captured"] <= 0:
            return _error(
                400,
                "invalid_request_error",
                "This PaymentIntent does not have a successful charge to refund.",
                code="charge_not_refundable",
            )
        remaining = charge["amount_captured"] - charge["amount_refunded"]
        if remaining <= 0:
            return _error(
                400,
                "invalid_request_error",
                f"Charge {charge['id']} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = int(p.get("amount", remaining))
        if amount > remaining:
            return _error(
                400,
                "invalid_request_error",
                "Refund amount is greater than the unrefunded amount on the charge.",
                code="amount_too_large",
                param="amount",
            )
        refund = {
            "id": self._id("re"),
            "object": "refund",
            "amount": amount,
            "charge": charge["id"],
            "currency": charge["currency"],
            "payment_intent": pi["id"],
            "status": "succeeded",
            "reason": p.get("reason"),
            "metadata": p.get("metadata", {}),
            "created": int(time.time()),
        }
        self.refunds[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount_captured"]
        self._emit(
            "charge.refunded",
            {**charge, "refunds": {"object": "list", "data": [refund], "has_more": False}},
            key,
        )
        return 200, refund
