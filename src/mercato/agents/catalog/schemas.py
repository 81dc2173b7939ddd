"""The catalog API's request and response models (the contract clients depend on)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StringConstraints,
    model_validator,
)

from mercato.agents.catalog.statuses import ProductStatus, VariantStatus
from mercato.kernel.money import MoneyStr
from mercato.kernel.schemas import RequestModel

ProductName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
"""Stripped; an empty or blank name is a missing one (422)."""
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
Slug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=300, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
]
Sku = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^\s]{1,64}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
MAX_PRICE = Decimal(1_000_000_000)
Price = Annotated[
    Decimal,
    Field(
        allow_inf_nan=False,
        ge=-MAX_PRICE,
        le=MAX_PRICE,
        max_digits=14,
        decimal_places=4,
    ),
]
"""A finite amount within a billion either way, to at most four decimals (the `Amount`
column's scale; trailing zeros do not count): the sign and zero (BR012) and the currency's
minor units (`invalid_amount`) are the service's to judge."""
MerchantId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
AttrName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
AttrValue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Grams = Annotated[int, Field(ge=1, le=1_000_000)]
"""A unit's shipping weight, 1 g to 1 t."""
Millimetres = Annotated[int, Field(ge=1, le=10_000)]
"""A side of a unit's box, 1 mm to 10 m."""
Attributes = Annotated[dict[AttrName, AttrValue], Field(max_length=50)]
CategoryName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)
]


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError("an image is an http(s) URL")
    return value


ImageUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_http_url)
]
Images = Annotated[list[ImageUrl], Field(max_length=20)]
AltText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
"""A picture's description for people who cannot see it; empty: the product's name."""

AnyProductStatus = Literal[ProductStatus.DRAFT, ProductStatus.ACTIVE, ProductStatus.ARCHIVED]
"""A product status as a request names it (inline in OpenAPI, like the strings it replaced)."""


class VariantIn(RequestModel):
    sku: Sku
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    price: Price
    compare_at_price: Price | None = None
    attributes: Attributes = Field(default_factory=dict)
    weight_grams: Grams | None = Field(default=None, description="One unit's shipping weight")
    length_mm: Millimetres | None = None
    width_mm: Millimetres | None = None
    height_mm: Millimetres | None = None


class ProductIn(RequestModel):
    """A new product with its variants (`POST /v1/products`, and each product of an import)."""

    name: ProductName
    slug: Slug | None = Field(default=None, description="Default: made from the name")
    description: Description = ""
    status: Literal[ProductStatus.DRAFT, ProductStatus.ACTIVE] = ProductStatus.ACTIVE
    category_id: str | None = None
    attributes: Attributes = Field(default_factory=dict)
    images: Images = Field(default_factory=list)
    currency: Currency | None = Field(default=None, description="Default: the store's currency")
    compare_at_price: Price | None = None
    is_free: bool = Field(default=False, description="Free products have every price at 0")
    requires_shipping: bool = True
    merchant_id: MerchantId | None = Field(
        default=None, description="Admins only; a merchant's products are its own"
    )
    variants: Annotated[list[VariantIn], Field(min_length=1, max_length=100)]


class Patch(RequestModel):
    """Fields absent from the body are left as they are; `null` clears a nullable field and
    is refused for the others."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Self:
        nulled = sorted(
            f for f in self.model_fields_set if getattr(self, f) is None and f not in self.nullable
        )
        if nulled:
            raise ValueError(f"{', '.join(nulled)} cannot be null")
        return self


class ProductPatch(Patch):
    nullable = frozenset({"category_id", "compare_at_price"})
    name: ProductName | None = None
    description: Description | None = None
    status: AnyProductStatus | None = None
    category_id: str | None = None
    attributes: Attributes | None = None
    images: Images | None = None
    compare_at_price: Price | None = None
    requires_shipping: bool | None = None


class VariantPatch(Patch):
    nullable = frozenset({"compare_at_price"})
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    price: Price | None = None
    compare_at_price: Price | None = None
    attributes: Attributes | None = None
    status: Literal[VariantStatus.ACTIVE, VariantStatus.ARCHIVED] | None = None
    weight_grams: Grams | None = None
    length_mm: Millimetres | None = None
    width_mm: Millimetres | None = None
    height_mm: Millimetres | None = None


class VariantOut(BaseModel):
    id: str
    sku: str
    title: str
    price: MoneyStr
    compare_at_price: MoneyStr | None
    attributes: dict[str, str]
    available: int
    status: str
    weight_grams: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None


class PictureOut(BaseModel):
    """A picture uploaded to Mercato, in two sizes; its files never change (cache them)."""

    id: str
    variant_id: str | None = Field(description="The variant it shows, if it shows one")
    alt: str = Field(description="What it shows, in words (for screen readers)")
    url: str = Field(description="The large picture (at most 1200 px a side)")
    width: int
    height: int
    thumbnail_url: str = Field(description="The small picture (at most 400 px a side)")
    thumbnail_width: int
    thumbnail_height: int


class PicturePatch(Patch):
    nullable = frozenset({"variant_id"})
    alt: AltText | None = None
    variant_id: str | None = None
    position: Annotated[int, Field(ge=0, le=100, description="0: the product's cover")] | None = (
        None
    )


class CategoryRef(BaseModel):
    id: str
    name: str
    slug: str


class ProductSummary(BaseModel):
    """A product as the listing answers it."""

    id: str
    name: str
    slug: str
    description: str
    price: MoneyStr = Field(description="The lowest price of its active variants")
    compare_at_price: MoneyStr | None
    currency: str
    status: str
    is_free: bool
    requires_shipping: bool
    category_id: str | None
    merchant_id: str | None
    attributes: dict[str, str]
    images: list[str]
    pictures: list[PictureOut] = Field(
        description="Uploaded pictures, the cover first (a listing carries the cover only)"
    )
    in_stock: bool
    variants: list[VariantOut]
    created_at: datetime
    updated_at: datetime


class ProductOut(ProductSummary):
    """A product as `GET /v1/products/{id}` and the writes answer it."""

    category: CategoryRef | None


class ProductPage(BaseModel):
    items: list[ProductSummary]
    next_cursor: str | None


class CategoryIn(RequestModel):
    name: CategoryName
    slug: Slug | None = None
    parent_id: str | None = None
    position: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class CategoryPatch(Patch):
    """`parent_id: null` moves the category to the root; absent leaves it where it is."""

    nullable = frozenset({"parent_id"})
    name: CategoryName | None = None
    slug: Slug | None = None
    parent_id: str | None = None
    position: Annotated[int, Field(ge=0, le=1_000_000)] | None = None


class CategoryNode(BaseModel):
    id: str
    name: str
    slug: str
    parent_id: str | None
    position: int
    product_count: int | None = Field(
        default=None, description="Active products in its subtree (with `?counts=true`)"
    )
    children: list[CategoryNode]


class CategoryTree(BaseModel):
    items: list[CategoryNode]
    next_cursor: Annotated[
        str | None, Field(description="Always null: the tree comes whole, in one answer")
    ]


class CategoryOut(BaseModel):
    id: str
    name: str
    slug: str
    parent_id: str | None
    position: int
    ancestors: list[CategoryRef] = Field(description="From the root down to its parent")
    children: list[CategoryRef]
