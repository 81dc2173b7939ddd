"""What one unit of each demo category weighs and measures (grams; millimetres, longest side
first), so rates, boxes and labels have real numbers to work with. Plausible retail sizes,
not measurements of any product."""

from __future__ import annotations

SIZES: dict[str, tuple[int, int, int, int]] = {
    # category: (weight g, length mm, width mm, height mm)
    "T-Shirts": (180, 300, 220, 20),
    "Hoodies": (600, 350, 300, 60),
    "Jeans": (700, 350, 300, 50),
    "Jackets": (900, 400, 350, 80),
    "Socks": (80, 200, 100, 20),
    "Cookware": (2200, 450, 300, 150),
    "Tableware": (450, 280, 280, 60),
    "Bedding": (1400, 400, 320, 100),
    "Lighting": (1600, 500, 250, 250),
    "Storage": (800, 400, 300, 250),
    "Headphones": (350, 220, 200, 100),
    "Chargers": (150, 120, 80, 40),
    "Cables": (80, 150, 100, 25),
    "Speakers": (1200, 300, 180, 160),
    "Keyboards": (900, 460, 160, 50),
    "Running": (800, 330, 210, 120),
    "Yoga": (1100, 620, 150, 150),
    "Camping": (2400, 550, 250, 200),
    "Cycling": (350, 280, 220, 170),
    "Skincare": (150, 120, 60, 60),
    "Hair Care": (400, 200, 80, 60),
    "Fragrance": (300, 140, 90, 60),
    "Cookbooks": (900, 280, 220, 30),
    "Travel Guides": (400, 220, 140, 20),
}


def size_of(category: list[str]) -> tuple[int, int, int, int] | None:
    """The unit's (weight, length, width, height) for a demo category path, if known."""
    return SIZES.get(category[-1]) if category else None
