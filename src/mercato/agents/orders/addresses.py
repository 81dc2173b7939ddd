"""A postal address as orders keep it (shipping and billing), and as checkout passes it."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, StringConstraints

from mercato.kernel.schemas import RequestModel

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class Address(RequestModel):
    """Where an order ships or is billed. `country` is ISO 3166-1 alpha-2 and `region` the
    subdivision part of ISO 3166-2 (`CA` of `US-CA`): both decide the tax of a re-priced
    order, as the cart's place does."""

    model_config = ConfigDict(frozen=True)

    name: Line
    line1: Line
    line2: Line | None = None
    city: Line
    region: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,3}$")] | None = None
    postal_code: Short | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    phone: Short | None = None

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Address | None:
        return None if data is None else cls.model_validate(data)
