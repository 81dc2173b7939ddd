"""The judged query set of issue 15's relevance benchmark: what shoppers type into the demo
store's search box, each with graded judgements of the demo's products (2: what was asked
for; 1: a fair answer, related or partly matching; unjudged: not relevant).

Written in one sitting before the benchmark was first run, from the demo's departments
(`mercato.demo_data`) and how people shop; not tuned to since. The judgements are rules over
a product's facts (its department, category, noun, material, colour, price), never over what
an engine returned, so they grade products no engine found as well. The voices vary on
purpose: single nouns, plurals, category names, material and colour with a noun,
misspellings, words half typed, and needs described without any product's words ("something
to fry eggs in"), which only meaning can answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Rule = tuple[int, dict[str, Any]]

JUDGED: list[tuple[str, list[Rule]]] = [
    # single nouns and plurals
    ("hoodie", [(2, {"cat": "Hoodies"})]),
    ("hoodies", [(2, {"cat": "Hoodies"})]),
    ("jeans", [(2, {"cat": "Jeans"})]),
    ("jacket", [(2, {"cat": "Jackets"})]),
    ("socks", [(2, {"cat": "Socks"})]),
    ("tee", [(2, {"cat": "T-Shirts"})]),
    ("t-shirt", [(2, {"cat": "T-Shirts"})]),
    ("skillet", [(2, {"noun": "Skillet"}), (1, {"cat": "Cookware"})]),
    ("wok", [(2, {"noun": "Wok"}), (1, {"cat": "Cookware"})]),
    ("mug", [(2, {"noun": "Mug"}), (1, {"cat": "Tableware"})]),
    ("bowls", [(2, {"noun": "Bowl"}), (1, {"cat": "Tableware"})]),
    ("duvet cover", [(2, {"noun": "Duvet Cover"}), (1, {"cat": "Bedding"})]),
    ("lamp", [(2, {"noun": {"Desk Lamp", "Floor Lamp"}}), (1, {"cat": "Lighting"})]),
    ("earbuds", [(2, {"noun": "Earbuds"}), (1, {"cat": "Headphones"})]),
    ("headphones", [(2, {"cat": "Headphones"})]),
    ("power bank", [(2, {"noun": "Power Bank"}), (1, {"cat": "Chargers"})]),
    ("hdmi cable", [(2, {"noun": "HDMI Cable"}), (1, {"cat": "Cables"})]),
    ("soundbar", [(2, {"noun": "Soundbar"}), (1, {"cat": "Speakers"})]),
    ("keyboard", [(2, {"cat": "Keyboards"})]),
    ("tent", [(2, {"noun": "Tent"}), (1, {"cat": "Camping"})]),
    ("sleeping bag", [(2, {"noun": "Sleeping Bag"}), (1, {"cat": "Camping"})]),
    ("headlamp", [(2, {"noun": "Headlamp"}), (1, {"cat": "Camping"})]),
    ("helmet", [(2, {"noun": "Bike Helmet"}), (1, {"cat": "Cycling"})]),
    ("yoga mat", [(2, {"noun": "Yoga Mat"}), (1, {"cat": "Yoga"})]),
    ("sunscreen", [(2, {"noun": "Sunscreen"}), (1, {"cat": "Skincare"})]),
    ("shampoo", [(2, {"noun": "Shampoo"}), (1, {"cat": "Hair Care"})]),
    ("perfume", [(2, {"noun": "Eau de Parfum"}), (1, {"cat": "Fragrance"})]),
    ("cookbook", [(2, {"cat": "Cookbooks"})]),
    ("gift card", [(2, {"cat": "Digital Gift Cards"})]),
    ("atlas", [(2, {"noun": "Road Trip Atlas"}), (1, {"cat": "Travel Guides"})]),
    # category and department words
    ("cookware", [(2, {"cat": "Cookware"})]),
    ("bedding", [(2, {"cat": "Bedding"})]),
    ("lighting", [(2, {"cat": "Lighting"})]),
    ("skincare", [(2, {"cat": "Skincare"})]),
    ("fragrance", [(2, {"cat": "Fragrance"})]),
    ("camping gear", [(2, {"cat": "Camping"})]),
    ("cycling", [(2, {"cat": "Cycling"})]),
    ("travel guide", [(2, {"cat": "Travel Guides"})]),
    ("electronics", [(2, {"dept": "Electronics"})]),
    ("kitchen", [(2, {"cat": "Cookware"}), (1, {"dept": "Home & Kitchen"})]),
    # material or colour with a noun
    ("merino hoodie", [(2, {"cat": "Hoodies", "material": "Merino"}), (1, {"cat": "Hoodies"})]),
    ("linen sheets", [(2, {"noun": "Sheet Set", "material": "Linen"}), (1, {"noun": "Sheet Set"})]),
    ("cast iron skillet", [(2, {"noun": "Skillet", "material": "Cast Iron"}),
                           (1, {"noun": "Skillet"}), (1, {"cat": "Cookware", "material": "Cast Iron"})]),
    ("cast iron dutch oven", [(2, {"noun": "Dutch Oven", "material": "Cast Iron"}),
                              (1, {"noun": "Dutch Oven"})]),
    ("stainless saucepan", [(2, {"noun": "Saucepan", "material": "Stainless"}),
                            (1, {"noun": "Saucepan"})]),
    ("porcelain plates", [(2, {"noun": "Dinner Plate", "material": "Porcelain"}),
                          (1, {"noun": "Dinner Plate"}), (1, {"cat": "Tableware", "material": "Porcelain"})]),
    ("walnut desk lamp", [(2, {"noun": "Desk Lamp", "material": "Walnut"}), (1, {"noun": "Desk Lamp"})]),
    ("selvedge denim", [(2, {"cat": "Jeans", "material": "Selvedge"}), (1, {"cat": "Jeans"})]),
    ("gore-tex trail shoe", [(2, {"noun": "Trail Shoe", "material": "Gore-Tex"}),
                             (1, {"noun": "Trail Shoe"}), (1, {"noun": "Running Shoe", "material": "Gore-Tex"})]),
    ("braided usb-c cable", [(2, {"noun": "USB-C Cable", "material": "Braided"}),
                             (1, {"noun": "USB-C Cable"})]),
    ("hot-swap mechanical keyboard", [(2, {"noun": "Mechanical Keyboard", "material": "Hot-Swap"}),
                                      (1, {"noun": "Mechanical Keyboard"})]),
    ("lavender shampoo", [(2, {"noun": "Shampoo", "material": "Lavender"}), (1, {"noun": "Shampoo"})]),
    ("rose face cream", [(2, {"noun": "Face Cream", "material": "Rose"}), (1, {"noun": "Face Cream"})]),
    ("citrus body mist", [(2, {"noun": "Body Mist", "material": "Citrus"}), (1, {"noun": "Body Mist"})]),
    ("bamboo storage box", [(2, {"noun": "Storage Box", "material": "Bamboo"}), (1, {"noun": "Storage Box"})]),
    ("flannel duvet cover", [(2, {"noun": "Duvet Cover", "material": "Flannel"}), (1, {"noun": "Duvet Cover"})]),
    ("black hoodie", [(2, {"cat": "Hoodies", "colour": "black"}), (1, {"cat": "Hoodies"})]),
    ("olive rain jacket", [(2, {"noun": "Rain Jacket", "colour": "olive"}), (1, {"noun": "Rain Jacket"})]),
    ("red socks", [(2, {"cat": "Socks", "colour": "red"}), (1, {"cat": "Socks"})]),
    ("white earbuds", [(2, {"noun": "Earbuds", "colour": "white"}), (1, {"noun": "Earbuds"})]),
    ("illustrated cookbook", [(2, {"cat": "Cookbooks", "material": "Illustrated"}), (1, {"cat": "Cookbooks"})]),
    ("pocket city guide", [(2, {"noun": "City Guide", "material": "Pocket"}), (1, {"noun": "City Guide"})]),
    ("organic cotton tee", [(2, {"cat": "T-Shirts", "material": "Cotton"}), (1, {"cat": "T-Shirts"})]),
    ("wool socks", [(2, {"noun": "Wool Socks"}), (2, {"cat": "Socks", "material": "Merino"}),
                    (1, {"cat": "Socks"})]),
    # misspelt
    ("hodie", [(2, {"cat": "Hoodies"})]),
    ("jakcet", [(2, {"cat": "Jackets"})]),
    ("skilet", [(2, {"noun": "Skillet"}), (1, {"cat": "Cookware"})]),
    ("sleping bag", [(2, {"noun": "Sleeping Bag"}), (1, {"cat": "Camping"})]),
    ("headphnes", [(2, {"cat": "Headphones"})]),
    ("blutooth speaker", [(2, {"noun": "Bluetooth Speaker"}), (1, {"cat": "Speakers"})]),
    ("shampo", [(2, {"noun": "Shampoo"}), (1, {"cat": "Hair Care"})]),
    ("sunscrean", [(2, {"noun": "Sunscreen"}), (1, {"cat": "Skincare"})]),
    ("mechanicle keyboard", [(2, {"noun": "Mechanical Keyboard"}), (1, {"cat": "Keyboards"})]),
    ("pillowcase", [(2, {"noun": "Pillowcase Pair"}), (1, {"cat": "Bedding"})]),
    ("porcelin bowl", [(2, {"noun": "Bowl", "material": "Porcelain"}), (1, {"noun": "Bowl"})]),
    ("yoga blok", [(2, {"noun": "Yoga Block"}), (1, {"cat": "Yoga"})]),
    # being typed
    ("jea", [(2, {"cat": "Jeans"})]),
    ("sauce", [(2, {"noun": "Saucepan"}), (1, {"cat": "Cookware"})]),
    ("duv", [(2, {"noun": "Duvet Cover"}), (1, {"cat": "Bedding"})]),
    ("sleep", [(2, {"noun": "Sleeping Bag"}), (1, {"cat": "Camping"})]),
    ("bluet", [(2, {"noun": "Bluetooth Speaker"}), (1, {"cat": "Speakers"})]),
    ("condit", [(2, {"noun": "Conditioner"}), (1, {"cat": "Hair Care"})]),
    # needs, in the shopper's words and not the catalogue's
    ("something to fry eggs in", [(2, {"noun": "Skillet"}), (1, {"noun": {"Wok", "Saucepan"}})]),
    ("pan for stir fry", [(2, {"noun": "Wok"}), (1, {"noun": "Skillet"}), (1, {"cat": "Cookware"})]),
    ("warm clothes for winter hiking", [(2, {"noun": {"Puffer", "Wool Socks", "Field Jacket"}}),
                                        (1, {"cat": {"Hoodies", "Jackets", "Socks"}}),
                                        (1, {"noun": {"Trail Shoe", "Hiking Guide"}})]),
    ("stay dry in the rain", [(2, {"noun": "Rain Jacket"}), (1, {"cat": "Jackets"}),
                              (1, {"material": "Gore-Tex"})]),
    ("something to read before a trip", [(2, {"cat": "Travel Guides"}), (1, {"dept": "Books & Media"})]),
    ("music for the living room", [(2, {"noun": {"Soundbar", "Smart Speaker", "Bluetooth Speaker"}}),
                                   (1, {"cat": "Speakers"})]),
    ("listen to podcasts on the train", [(2, {"noun": {"Earbuds", "Over-Ear Headphones"}}),
                                         (1, {"cat": "Headphones"})]),
    ("charge my phone", [(2, {"cat": "Chargers"}), (1, {"noun": {"USB-C Cable", "Lightning Cable"}})]),
    ("connect laptop to tv", [(2, {"noun": "HDMI Cable"}), (1, {"cat": "Cables"})]),
    ("typing all day", [(2, {"cat": "Keyboards"})]),
    ("light for reading in bed", [(2, {"noun": "Desk Lamp"}), (1, {"cat": "Lighting"})]),
    ("somewhere to keep my spices", [(2, {"noun": "Jar Set"}), (1, {"cat": "Storage"})]),
    ("present for someone who loves cooking", [(2, {"cat": "Cookbooks"}), (1, {"cat": "Cookware"})]),
    ("gift when you don't know what to buy", [(2, {"cat": "Digital Gift Cards"})]),
    ("sleep outdoors", [(2, {"noun": {"Sleeping Bag", "Tent"}}), (1, {"cat": "Camping"})]),
    ("see in the dark while camping", [(2, {"noun": "Headlamp"}), (1, {"noun": "Bike Light"}),
                                       (1, {"cat": "Camping"})]),
    ("boil water on a campsite", [(2, {"noun": "Camp Stove"}), (1, {"cat": "Camping"})]),
    ("protect my head on the bike", [(2, {"noun": "Bike Helmet"}), (1, {"cat": "Cycling"})]),
    ("ride at night safely", [(2, {"noun": "Bike Light"}), (1, {"cat": "Cycling"})]),
    ("marathon training", [(2, {"noun": {"Running Shoe", "Running Shorts"}}), (1, {"cat": "Running"})]),
    ("stretching at home", [(2, {"noun": {"Yoga Mat", "Yoga Strap", "Yoga Block"}}), (1, {"cat": "Yoga"})]),
    ("dry skin", [(2, {"noun": {"Face Cream", "Serum"}}), (1, {"cat": "Skincare"})]),
    ("protect skin at the beach", [(2, {"noun": "Sunscreen"}), (1, {"cat": "Skincare"})]),
    ("smell nice", [(2, {"cat": "Fragrance"})]),
    ("frizzy hair", [(2, {"noun": {"Hair Oil", "Conditioner"}}), (1, {"cat": "Hair Care"})]),
    ("cozy bed", [(2, {"noun": {"Duvet Cover", "Sheet Set"}}), (1, {"cat": "Bedding"})]),
    ("serve dinner to guests", [(2, {"noun": {"Serving Platter", "Dinner Plate"}}), (1, {"cat": "Tableware"})]),
    ("morning coffee", [(2, {"noun": "Mug"}), (1, {"cat": "Tableware"})]),
    ("slow cooked stew", [(2, {"noun": "Dutch Oven"}), (1, {"cat": "Cookware"})]),
    ("tidy shelves", [(2, {"noun": {"Shelf Basket", "Storage Box"}}), (1, {"cat": "Storage"})]),
    ("baking bread", [(2, {"noun": "Baking Book"}), (1, {"cat": "Cookbooks"}), (1, {"noun": "Dutch Oven"})]),
    ("long drive holiday", [(2, {"noun": "Road Trip Atlas"}), (1, {"cat": "Travel Guides"})]),
    # brand-like adjectives with a noun
    ("alpine tent", [(2, {"noun": "Tent", "adj": "Alpine"}), (1, {"noun": "Tent"})]),
    ("nordic duvet", [(2, {"noun": "Duvet Cover", "adj": "Nordic"}), (1, {"noun": "Duvet Cover"})]),
    ("vintage bomber", [(2, {"noun": "Bomber", "adj": "Vintage"}), (1, {"noun": "Bomber"})]),
    ("compact keyboard", [(2, {"noun": "Compact Keyboard"}), (1, {"cat": "Keyboards"})]),
    ("lightweight puffer", [(2, {"noun": "Puffer", "adj": "Lightweight"}), (1, {"noun": "Puffer"})]),
    ("summit sleeping bag", [(2, {"noun": "Sleeping Bag", "adj": "Summit"}), (1, {"noun": "Sleeping Bag"})]),
]  # fmt: skip
"""(query, rules): a product's grade is the highest grade of the rules it meets."""


@dataclass(frozen=True)
class Facts:
    """What the judgements read of a demo product."""

    name: str
    dept: str
    cat: str
    noun: str
    material: str
    adj: str
    colour: str
    price: Decimal


def _meets(facts: Facts, conditions: dict[str, Any]) -> bool:
    for key, wanted in conditions.items():
        have = getattr(facts, key)
        options = wanted if isinstance(wanted, set) else {wanted}
        if have not in options:
            return False
    return True


def grade(facts: Facts, rules: list[Rule]) -> int:
    return max((g for g, conditions in rules if _meets(facts, conditions)), default=0)


def demo_facts(count: int, seed: int) -> list[Facts]:
    """The facts of `mercato demo`'s products (its catalogue is made from the seed alone)."""
    from mercato import demo_data

    nouns = {
        category: spec[0]
        for children in demo_data.DEPARTMENTS.values()
        for category, spec in children.items()
    }
    facts = []
    for product in demo_data.products(count, seed):
        dept, cat = product.category
        adj, rest = product.name.split(" ", 1)
        noun = next(
            n for n in sorted(nouns[cat], key=len, reverse=True) if f" {n} No." in product.name
        )
        facts.append(
            Facts(
                name=product.name,
                dept=dept,
                cat=cat,
                noun=noun,
                material=rest[: rest.index(noun)].strip(),
                adj=adj,
                colour=product.variants[0].attributes.get("colour", ""),
                price=product.variants[0].price,
            )
        )
    return facts


Judge = Callable[[str], int]
