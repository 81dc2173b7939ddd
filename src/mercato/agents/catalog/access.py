"""Who may read and write which products: merchants their own, admins every one."""

from __future__ import annotations

from dataclasses import dataclass

from mercato.agents.catalog.models import Product
from mercato.agents.catalog.problems import NoMerchant, NotYourProduct
from mercato.agents.catalog.statuses import ProductStatus
from mercato.kernel.auth import Principal

WRITE = "catalog:write"
"""Create and change products (merchants: their own)."""
ALL_MERCHANTS = "catalog:all_merchants"
"""Act on every merchant's products (granted to no role: admins hold every permission)."""


@dataclass(frozen=True)
class Actor:
    """Who reads or writes the catalog: a merchant acts on its own products, admins on all."""

    writes: bool
    merchant_id: str | None
    all_merchants: bool

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(principal.can(WRITE), principal.merchant_id, principal.can(ALL_MERCHANTS))

    def owns(self, product: Product) -> bool:
        return self.owns_merchant(product.merchant_id)

    def owns_merchant(self, merchant_id: str | None) -> bool:
        """Whether a product of `merchant_id` is this actor's to act on."""
        if self.all_merchants:
            return True
        return self.merchant_id is not None and merchant_id == self.merchant_id

    def sees(self, product: Product) -> bool:
        """Active products are public; drafts and archived ones are their writers'."""
        return product.status == ProductStatus.ACTIVE or (self.writes and self.owns(product))

    def check_owns(self, product: Product) -> None:
        if not self.owns(product):
            raise NotYourProduct(f"product {product.id} is not one of your merchant's")

    def merchant_for_new(self, requested: str | None) -> str | None:
        """The merchant a new product of this actor belongs to."""
        if self.all_merchants:
            return requested
        if self.merchant_id is None:
            raise NoMerchant("a merchant account without a merchant id cannot sell")
        if requested is not None and requested != self.merchant_id:
            raise NotYourProduct("a merchant creates products for its own merchant id only")
        return self.merchant_id
