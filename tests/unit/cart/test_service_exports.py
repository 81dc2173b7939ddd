"""Code outside the cart agent (checkout, the demo, the CLI) needs only
`from mercato.agents.cart import service as cart`: the service module re-exports what they
use of the agent's inner modules, as the very same objects."""

from __future__ import annotations

from mercato.agents.cart import codes, service, store


def test_the_service_exports_the_stores_set_up_and_discount_codes() -> None:
    # given what the demo and checkout use from the cart's inner modules
    inner = {
        "CodeSpec": codes.CodeSpec,
        "create_code": codes.create_code,
        "find_code": codes.find,
        "redeem_code": codes.redeem_code,
        "TaxRateSpec": store.TaxRateSpec,
        "ensure_settings": store.ensure_settings,
        "put_tax_rates": store.put_tax_rates,
    }
    # then the service module offers each, declared in its public names
    for name, obj in inner.items():
        assert getattr(service, name) is obj, name
    assert {*inner, "validate"} <= set(service.__all__)
    # and every public name it declares exists
    assert all(hasattr(service, name) for name in service.__all__)
