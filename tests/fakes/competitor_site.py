"""A local competitor's shop: product pages as shops publish them, and a robots.txt.

`/p/{slug}` is a product page with schema.org JSON-LD (`Product` with an `Offer`, its
`priceSpecification` left out, as many shops do); `/a/{slug}` the same with an
`AggregateOffer` (marketplace-style, several sellers); `/s/{slug}` a page with no JSON-LD,
only markup (`.product-title`, `.price`, `meta[itemprop=priceCurrency]`, `.stock`,
`.promo`), for per-site selectors; `/private/...` exists but robots.txt disallows it.
Switches: `robots` (the robots.txt text), `robots_status` (200, or 404 / 500 for a
robots.txt that cannot be had), `missing` (slugs answering 404). `hits` records
(path, monotonic time, User-Agent) of every request.
"""

from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass
from decimal import Decimal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes import FakeServer

ROBOTS = "User-agent: *\nDisallow: /private/\n\nUser-agent: BadBot\nDisallow: /\n"
SCHEMA = "https://schema.org/"


@dataclass(frozen=True)
class Listing:
    slug: str
    name: str
    price: Decimal
    currency: str = "EUR"
    availability: str = "InStock"
    brand: str | None = None
    gtin13: str | None = None
    mpn: str | None = None
    sku: str | None = None
    promotion: str | None = None


DEFAULT_LISTINGS = (
    Listing(
        "kettle",
        "Stainless Steel Kettle 1.7 L",
        Decimal("39.90"),
        brand="Bosch",
        gtin13="4006381333931",
        mpn="TWK7203",
        sku="RV-KET-17",
        promotion="10% off with code WINTER",
    ),
    Listing(
        "tee",
        "Organic Cotton T-Shirt",
        Decimal("17.50"),
        availability="OutOfStock",
        brand="Threadline",
    ),
)


class FakeCompetitorSite(FakeServer):
    def __init__(self, listings: tuple[Listing, ...] = DEFAULT_LISTINGS) -> None:
        super().__init__()
        self.listings = {listing.slug: listing for listing in listings}
        self.robots = ROBOTS
        self.robots_status = 200
        self.missing: set[str] = set()
        self.hits: list[tuple[str, float, str]] = []

    def unavailable(self) -> Response:
        return HTMLResponse("<h1>503 Service Unavailable</h1>", status_code=503)

    def build_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/robots.txt", self._robots),
                Route("/{kind:str}/{slug:str}", self._page),
                Route("/private/{kind:str}/{slug:str}", self._page),
            ]
        )

    def _hit(self, request: Request) -> None:
        agent = request.headers.get("user-agent", "")
        self.hits.append((request.url.path, time.monotonic(), agent))

    async def _robots(self, request: Request) -> Response:
        self._hit(request)
        if self.robots_status != 200:
            return PlainTextResponse("error", status_code=self.robots_status)
        return PlainTextResponse(self.robots)

    async def _page(self, request: Request) -> Response:
        self._hit(request)
        kind, slug = request.path_params["kind"], request.path_params["slug"]
        listing = self.listings.get(slug)
        if listing is None or slug in self.missing or kind not in ("p", "a", "s"):
            return HTMLResponse("<h1>Not found</h1>", status_code=404)
        if kind == "s":
            return HTMLResponse(markup_page(listing))
        return HTMLResponse(json_ld_page(listing, aggregate=kind == "a"))


def json_ld_page(listing: Listing, *, aggregate: bool) -> str:
    offer: dict[str, object] = {
        "@type": "AggregateOffer" if aggregate else "Offer",
        "priceCurrency": listing.currency,
        "availability": SCHEMA + listing.availability,
        "url": f"/p/{listing.slug}",
    }
    if aggregate:
        offer |= {
            "lowPrice": str(listing.price),
            "highPrice": str(listing.price + 5),
            "offerCount": 3,
        }
    else:
        offer["price"] = str(listing.price)
    if listing.promotion:
        offer["description"] = listing.promotion
    product: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": listing.name,
        "offers": offer,
    }
    if listing.brand:
        product["brand"] = {"@type": "Brand", "name": listing.brand}
    for key in ("gtin13", "mpn", "sku"):
        value = getattr(listing, key)
        if value:
            product[key] = value
    ld = json.dumps([{"@context": "https://schema.org", "@type": "BreadcrumbList"}, product])
    return (
        "<!doctype html><html><head><title>" + html.escape(listing.name) + "</title>"
        '<script type="application/ld+json">' + ld + "</script></head>"
        "<body><h1>" + html.escape(listing.name) + "</h1></body></html>"
    )


def markup_page(listing: Listing) -> str:
    stock = "In stock" if listing.availability == "InStock" else "Sold out"
    whole, cents = f"{listing.price:.2f}".split(".")
    return (
        "<!doctype html><html><body><div class='product'>"
        f"<h1 class='product-title'>{html.escape(listing.name)}</h1>"
        f"<span class='price'>{int(whole):,}".replace(",", ".")
        + f",{cents} €</span>"
        f"<meta itemprop='priceCurrency' content='{listing.currency}'>"
        f"<p class='stock'>{'InStock' if stock == 'In stock' else 'OutOfStock'}</p>"
        + (f"<p class='promo'>{html.escape(listing.promotion)}</p>" if listing.promotion else "")
        + "</div></body></html>"
    )
