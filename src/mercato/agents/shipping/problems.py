"""The shipping agent's errors, each with its stable code (rules' violations are the
kernel's `RuleViolated`: `br023_tracking_number_when_shipped`,
`br024_no_delivery_before_shipping`)."""

from __future__ import annotations

from mercato.kernel.errors import Forbidden, NotFound, Problem


class ShipmentNotFound(NotFound):
    code, title = "shipment_not_found", "No such shipment"


class ZoneNotFound(NotFound):
    code, title = "zone_not_found", "No such shipping zone"


class RateTableNotFound(NotFound):
    code, title = "rate_table_not_found", "No such rate table"


class QuoteNotFound(NotFound):
    code, title = "shipping_rate_not_found", "No such shipping rate (it may have expired)"


class UnknownCarrier(NotFound):
    code, title = "carrier_not_found", "No such carrier"


class InvalidShippingRequest(Problem):
    status, code, title = 422, "invalid_shipping_request", "The shipping request is not valid"


class NothingToRate(Problem):
    status, code, title = 422, "nothing_to_ship", "Nothing here needs shipping"


class NoRates(Problem):
    status, code, title = 422, "no_shipping_rates", "No carrier ships there"


class ZoneCodeTaken(Problem):
    status, code, title = 409, "zone_code_taken", "A zone has that code already"


class ShipmentStatusConflict(Problem):
    status, code, title = 409, "shipment_status_conflict", "The shipment is not in that status"


class CarrierUnavailableProblem(Problem):
    """The carrier could not be reached to buy the label: nothing changed, try again (or
    another carrier)."""

    status, code, title = 503, "carrier_unavailable", "The carrier could not be reached"


class CarrierRefusedProblem(Problem):
    status, code, title = 422, "carrier_refused", "The carrier refused the request"


class InvalidCarrierWebhook(Problem):
    status, code, title = 400, "invalid_carrier_webhook", "The webhook does not verify"


class RateTableExists(Problem):
    status, code, title = 409, "rate_table_exists", "That service has a table for the zone"


class UnitsAlreadyShipping(Problem):
    """The units asked for are in another shipment already (or the line has no more)."""

    status, code, title = 409, "fulfilment_quantity_conflict", "Those units are shipping already"


class LabelForStaff(Forbidden):
    """A shopper prints their return's label; the order's own parcels are staff's."""

    code, title = "label_for_staff", "Only staff print this label"


class LabelFileUnavailable(Problem):
    """The carrier's label was bought but its file cannot be fetched from the carrier now:
    try again later. Mercato does not draw its own in its place (it would not be postage)."""

    status, code, title = 503, "label_file_unavailable", "The carrier's label file is unavailable"
