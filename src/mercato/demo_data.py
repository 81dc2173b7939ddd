"""The demo store's catalogue, made from a seed: the same seed always makes the same store.

Departments and their categories, and for each category the nouns, materials and options its
products are made of; prices fall in a range per category. Nothing here touches a database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

DEPARTMENTS: dict[str, dict[str, tuple[list[str], tuple[int, int], str]]] = {
    # department: {category: (nouns, (min, max) price in whole units, option kind)}
    "Clothing": {
        "T-Shirts": (["Tee", "Crew Tee", "Pocket Tee", "V-Neck Tee"], (12, 45), "apparel"),
        "Hoodies": (["Hoodie", "Zip Hoodie", "Pullover"], (35, 95), "apparel"),
        "Jeans": (["Slim Jeans", "Straight Jeans", "Relaxed Jeans"], (40, 140), "waist"),
        "Jackets": (["Rain Jacket", "Bomber", "Field Jacket", "Puffer"], (60, 260), "apparel"),
        "Socks": (["Crew Socks", "Ankle Socks", "Wool Socks"], (6, 24), "apparel"),
    },
    "Home & Kitchen": {
        "Cookware": (["Skillet", "Saucepan", "Dutch Oven", "Wok"], (25, 220), "size"),
        "Tableware": (["Dinner Plate", "Bowl", "Mug", "Serving Platter"], (8, 60), "colour"),
        "Bedding": (["Duvet Cover", "Sheet Set", "Pillowcase Pair"], (30, 180), "bed"),
        "Lighting": (["Desk Lamp", "Floor Lamp", "Pendant Light"], (25, 240), "colour"),
        "Storage": (["Storage Box", "Shelf Basket", "Jar Set"], (9, 70), "size"),
    },
    "Electronics": {
        "Headphones": (["Over-Ear Headphones", "Earbuds", "Studio Monitors"], (29, 399), "colour"),
        "Chargers": (["USB-C Charger", "Wireless Charger", "Power Bank"], (15, 89), "colour"),
        "Cables": (["USB-C Cable", "HDMI Cable", "Lightning Cable"], (7, 35), "length"),
        "Speakers": (["Bluetooth Speaker", "Smart Speaker", "Soundbar"], (39, 499), "colour"),
        "Keyboards": (["Mechanical Keyboard", "Compact Keyboard"], (45, 220), "switch"),
    },
    "Sports & Outdoors": {
        "Running": (["Running Shoe", "Trail Shoe", "Running Shorts"], (30, 180), "shoe"),
        "Yoga": (["Yoga Mat", "Yoga Block", "Yoga Strap"], (12, 110), "colour"),
        "Camping": (["Tent", "Sleeping Bag", "Camp Stove", "Headlamp"], (20, 420), "size"),
        "Cycling": (["Bike Helmet", "Bike Light", "Cycling Gloves"], (15, 160), "apparel"),
    },
    "Beauty & Care": {
        "Skincare": (["Face Cream", "Cleanser", "Serum", "Sunscreen"], (9, 85), "volume"),
        "Hair Care": (["Shampoo", "Conditioner", "Hair Oil"], (7, 45), "volume"),
        "Fragrance": (["Eau de Parfum", "Eau de Toilette", "Body Mist"], (25, 160), "volume"),
    },
    "Books & Media": {
        "Cookbooks": (["Cookbook", "Baking Book"], (15, 45), "format"),
        "Travel Guides": (["City Guide", "Hiking Guide", "Road Trip Atlas"], (12, 38), "format"),
        "Digital Gift Cards": (["Gift Card"], (10, 100), "digital"),
    },
}

ADJECTIVES = [
    "Everyday", "Classic", "Urban", "Coastal", "Alpine", "Nordic", "Heritage", "Studio",
    "Essential", "Premium", "Lightweight", "Organic", "Vintage", "Modern", "Compact", "Summit",
]  # fmt: skip
MATERIALS = {
    "apparel": ["Cotton", "Merino", "Linen", "Recycled Poly", "Hemp"],
    "waist": ["Denim", "Stretch Denim", "Selvedge"],
    "size": ["Cast Iron", "Stainless", "Bamboo", "Enamel", "Ceramic"],
    "colour": ["Stoneware", "Porcelain", "Aluminium", "Walnut", "Matte"],
    "bed": ["Percale", "Sateen", "Linen", "Flannel"],
    "length": ["Braided", "Flat", "Shielded"],
    "switch": ["Aluminium", "Hot-Swap", "Low-Profile"],
    "shoe": ["Mesh", "Knit", "Gore-Tex"],
    "volume": ["Rose", "Citrus", "Cedar", "Unscented", "Lavender"],
    "format": ["Illustrated", "Pocket", "Collector's"],
    "digital": ["Mercato"],
}
OPTIONS: dict[str, tuple[str, list[str]]] = {
    "apparel": ("size", ["XS", "S", "M", "L", "XL"]),
    "waist": ("waist", ["28", "30", "32", "34", "36"]),
    "size": ("size", ["Small", "Medium", "Large"]),
    "colour": ("colour", ["Black", "White", "Sage", "Terracotta", "Navy"]),
    "bed": ("size", ["Single", "Double", "King"]),
    "length": ("length", ["1 m", "2 m", "3 m"]),
    "switch": ("switch", ["Linear", "Tactile", "Clicky"]),
    "shoe": ("size", ["38", "40", "42", "44", "46"]),
    "volume": ("volume", ["50 ml", "100 ml", "250 ml"]),
    "format": ("format", ["Hardcover", "Paperback"]),
    "digital": ("amount", ["25", "50", "100"]),
}
COLOURS = ["black", "white", "grey", "blue", "green", "red", "sand", "olive"]


@dataclass(frozen=True)
class DemoVariant:
    sku: str
    title: str
    price: Decimal
    attributes: dict[str, str]
    stock: tuple[int, int]
    """Units on hand at the warehouse and at the shop."""


@dataclass(frozen=True)
class DemoProduct:
    name: str
    description: str
    category: list[str]
    attributes: dict[str, str]
    variants: list[DemoVariant]
    compare_at_price: Decimal | None = None
    requires_shipping: bool = True
    is_free: bool = False
    status: str = "active"
    images: list[str] = field(default_factory=list)


def categories() -> list[list[str]]:
    """Every category path of the demo store, departments first."""
    paths: list[list[str]] = []
    for department, children in DEPARTMENTS.items():
        paths.append([department])
        paths.extend([department, child] for child in children)
    return paths


def products(count: int, seed: int) -> list[DemoProduct]:
    """`count` products spread over every category, the same for the same seed."""
    rng = random.Random(seed)
    leaves = [
        (department, category, spec)
        for department, children in DEPARTMENTS.items()
        for category, spec in children.items()
    ]
    made: list[DemoProduct] = []
    for n in range(count):
        department, category, (nouns, (low, high), kind) = leaves[n % len(leaves)]
        made.append(_product(rng, n, department, category, nouns, low, high, kind))
    return made


def _product(
    rng: random.Random,
    n: int,
    department: str,
    category: str,
    nouns: list[str],
    low: int,
    high: int,
    kind: str,
) -> DemoProduct:
    noun = rng.choice(nouns)
    material = rng.choice(MATERIALS[kind])
    name = f"{rng.choice(ADJECTIVES)} {material} {noun} No. {n + 1}"
    base = Decimal(rng.randint(low * 100, high * 100)) / 100
    base = base.quantize(Decimal("1")) - Decimal("0.01")  # prices end in .99
    option, values = OPTIONS[kind]
    chosen = sorted(rng.sample(values, k=min(len(values), rng.randint(1, 3))), key=values.index)
    colour = rng.choice(COLOURS)
    digital = kind == "digital"
    variants = []
    for position, value in enumerate(chosen):
        price = Decimal(value) if digital else base + Decimal(position * 2)
        warehouse = 0 if rng.random() < 0.06 else rng.randint(3, 120)
        shop = rng.randint(0, 15) if rng.random() < 0.35 else 0
        variants.append(
            DemoVariant(
                sku=f"DEMO-{n + 1:05d}-{position + 1}",
                title=value,
                price=price,
                attributes={option: value} if digital else {option: value, "colour": colour},
                stock=(10_000, 0) if digital else (warehouse, shop),
            )
        )
    on_sale = not digital and rng.random() < 0.2
    return DemoProduct(
        name=name,
        description=(
            f"The {name.lower()} from our {category.lower()} range: {material.lower()}, "
            f"made to last, and chosen for {department.lower()} lovers."
        ),
        category=[department, category],
        attributes={"material": material.lower(), "brand": rng.choice(ADJECTIVES)},
        variants=variants,
        compare_at_price=(base * Decimal("1.25")).quantize(Decimal("0.01")) if on_sale else None,
        requires_shipping=not digital,
    )
