"""The generator's own word lists: names, places and products, small and shipped in the code
(nothing is downloaded). Names come with an ASCII spelling for email addresses; places are
real cities with their regions and postal-code shapes; email domains and IP addresses are the
ranges reserved for documentation (RFC 2606, RFC 5737), so no generated record reaches a
real mailbox or host."""

from __future__ import annotations

from typing import NamedTuple


class Locale(NamedTuple):
    """Names and places of one country. `cities`: (city, region code, postal prefix)."""

    country: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[tuple[str, str, str], ...]
    streets: tuple[str, ...]
    postal: str
    """A postal code's shape: `#` a digit from the prefix on, `@` a letter."""
    phone_prefix: str


_EN_FIRST = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Emily",
    "Matthew",
    "Olivia",
    "Anthony",
    "Emma",
    "Mark",
    "Ava",
    "Steven",
    "Sophia",
    "Andrew",
    "Grace",
    "Joshua",
    "Chloe",
    "Kevin",
    "Zoe",
)
_EN_LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Martin",
    "Jackson",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Campbell",
    "Mitchell",
    "Roberts",
    "Carter",
    "Turner",
)

# fmt: off
LOCALES: dict[str, Locale] = {
    "US": Locale(
        "US",
        _EN_FIRST,
        _EN_LAST,
        (
            ("New York", "NY", "100"), ("Brooklyn", "NY", "112"), ("Austin", "TX", "787"),
            ("Houston", "TX", "770"), ("San Francisco", "CA", "941"), ("Los Angeles", "CA", "900"),
            ("San Diego", "CA", "921"), ("Seattle", "WA", "981"), ("Portland", "OR", "972"),
            ("Denver", "CO", "802"), ("Chicago", "IL", "606"), ("Boston", "MA", "021"),
            ("Miami", "FL", "331"), ("Atlanta", "GA", "303"), ("Phoenix", "AZ", "850"),
            ("Minneapolis", "MN", "554"), ("Nashville", "TN", "372"), ("Columbus", "OH", "432"),
        ),
        (
            "Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Pine St", "Elm St", "Washington Ave",
            "Park Blvd", "Lake View Rd", "Sunset Blvd", "Highland Ave", "River Rd", "Church St",
        ),
        "##",
        "+1 555",
    ),
    "CA": Locale(
        "CA",
        _EN_FIRST,
        ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", *_EN_LAST[:12]),
        (
            ("Toronto", "ON", "M5V"), ("Montréal", "QC", "H2X"), ("Vancouver", "BC", "V6B"),
            ("Calgary", "AB", "T2P"), ("Ottawa", "ON", "K1P"), ("Halifax", "NS", "B3H"),
        ),
        ("Queen St W", "Rue Sainte-Catherine", "Granville St", "Bank St", "Jasper Ave"),
        " #@#",
        "+1 555",
    ),
    "GB": Locale(
        "GB",
        ("Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Noah", "Freya"),
        ("Smith", "Jones", "Taylor", "Evans", "Davies", "O'Connor", "Walsh", "Hughes", "Wood"),
        (
            ("London", "LND", "SW1A"), ("Manchester", "MAN", "M1"), ("Edinburgh", "EDH", "EH1"),
            ("Bristol", "BST", "BS1"), ("Leeds", "LDS", "LS1"), ("Cardiff", "CRF", "CF10"),
        ),
        ("High Street", "Station Road", "Church Lane", "Victoria Road", "King's Road"),
        " #@@",
        "+44 20 7946",
    ),
    "DE": Locale(
        "DE",
        ("Lukas", "Anna", "Jonas", "Lea", "Leon", "Hannah", "Felix", "Mia", "Jürgen", "Käthe"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"),
        (
            ("Berlin", "BE", "101"), ("München", "BY", "803"), ("Hamburg", "HH", "203"),
            ("Köln", "NW", "506"), ("Frankfurt am Main", "HE", "603"), ("Leipzig", "SN", "041"),
        ),
        ("Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "Lindenallee"),
        "##",
        "+49 30 5550",
    ),
    "FR": Locale(
        "FR",
        ("Léa", "Gabriel", "Chloé", "Louis", "Manon", "Hugo", "Inès", "Jules", "Zoé", "Théo"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Lefèvre"),
        (
            ("Paris", "75", "750"), ("Lyon", "69", "690"), ("Marseille", "13", "130"),
            ("Toulouse", "31", "310"), ("Nantes", "44", "440"), ("Bordeaux", "33", "330"),
        ),
        ("rue de la Paix", "avenue Victor Hugo", "boulevard Saint-Michel", "rue Lafayette"),
        "##",
        "+33 1 99 00",
    ),
    "ES": Locale(
        "ES",
        ("José", "María", "Lucía", "Hugo", "Martín", "Sofía", "Álvaro", "Paula", "Íñigo"),
        ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez"),
        (
            ("Madrid", "M", "280"), ("Barcelona", "B", "080"), ("Valencia", "V", "460"),
            ("Sevilla", "SE", "410"), ("Bilbao", "BI", "480"),
        ),
        ("Calle Mayor", "Gran Vía", "Paseo de Gracia", "Calle de Alcalá", "Avenida del Puerto"),
        "##",
        "+34 91 555",
    ),
    "JP": Locale(
        "JP",
        ("Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Yuto", "Sakura", "Riku", "Mei"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
        (
            ("Tokyo", "13", "100-"), ("Osaka", "27", "530-"), ("Kyoto", "26", "600-"),
            ("Yokohama", "14", "220-"), ("Sapporo", "01", "060-"),
        ),
        ("Chuo-dori", "Omotesando", "Shijo-dori", "Midosuji", "Odori"),
        "####",
        "+81 3 5550",
    ),
    "AU": Locale(
        "AU",
        ("Jack", "Charlotte", "William", "Olivia", "Lachlan", "Matilda", "Cooper", "Ruby"),
        ("Smith", "Jones", "Williams", "Brown", "Wilson", "Nguyen", "Kelly", "Ryan"),
        (
            ("Sydney", "NSW", "20"), ("Melbourne", "VIC", "30"), ("Brisbane", "QLD", "40"),
            ("Perth", "WA", "60"), ("Adelaide", "SA", "50"),
        ),
        ("George St", "Collins St", "Queen St", "Hay St", "Rundle Mall"),
        "##",
        "+61 2 5550",
    ),
}
# fmt: on
"""Every locale generated; the store's own country is `HOME`."""

HOME = "US"
ABROAD: tuple[str, ...] = tuple(code for code in LOCALES if code != HOME)

CURRENCY_OF_COUNTRY = {
    "US": "USD",
    "CA": "CAD",
    "GB": "GBP",
    "DE": "EUR",
    "FR": "EUR",
    "ES": "EUR",
    "JP": "JPY",
    "AU": "AUD",
}
OTHER_CURRENCIES = ("EUR", "GBP", "JPY", "CAD")
"""Currencies other than the store's USD that some products are sold in (multi_currency)."""
COUNTRIES_OF_CURRENCY = {"EUR": ("DE", "FR", "ES"), "GBP": ("GB",), "JPY": ("JP",), "CAD": ("CA",)}

EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
"""RFC 2606: reserved for documentation, never a real mailbox."""

UNICODE_NAMES = ("O'Brien", "José García", "日本語", "🎉 Party")
"""EC009's names, as the seed writes them."""

INJECTION_TEXT = "'; DROP TABLE products; --"
"""EC015's search text, as the seed writes it (here a product's name)."""


class Department(NamedTuple):
    """Products of one category: `(name, low, high)` price ranges in USD cents, whether they
    ship, and the variant attribute that tells variants apart."""

    path: tuple[str, ...]
    nouns: tuple[str, ...]
    low: int
    high: int
    ships: bool
    attribute: str | None
    values: tuple[str, ...]


# fmt: off
DEPARTMENTS: tuple[Department, ...] = (
    Department(
        ("Apparel", "Men"),
        ("T-Shirt", "Oxford Shirt", "Chinos", "Hoodie", "Denim Jacket", "Wool Sweater"),
        1500, 12000, True, "size", ("S", "M", "L", "XL"),
    ),
    Department(
        ("Apparel", "Women"),
        ("Blouse", "Summer Dress", "Cardigan", "Linen Trousers", "Rain Jacket", "Scarf"),
        1800, 15000, True, "size", ("XS", "S", "M", "L"),
    ),
    Department(
        ("Home", "Kitchen"),
        ("Chef's Knife", "Cast Iron Skillet", "Coffee Grinder", "Teapot", "Cutting Board"),
        1200, 18000, True, "color", ("Black", "Red", "Steel", "Olive"),
    ),
    Department(
        ("Home", "Decor"),
        ("Table Lamp", "Throw Pillow", "Wall Clock", "Vase", "Picture Frame", "Candle Set"),
        900, 9000, True, "color", ("White", "Sand", "Charcoal", "Sage"),
    ),
    Department(
        ("Electronics", "Audio"),
        ("Wireless Headphones", "Bluetooth Speaker", "Turntable", "Soundbar", "Earbuds"),
        2500, 45000, True, "color", ("Black", "Silver", "Blue"),
    ),
    Department(
        ("Electronics", "Computers"),
        ("Laptop", "Mechanical Keyboard", "4K Monitor", "Docking Station", "Tablet"),
        4900, 249900, True, "storage", ("256 GB", "512 GB", "1 TB"),
    ),
    Department(
        ("Outdoors", "Camping"),
        ("Tent", "Sleeping Bag", "Camp Stove", "Headlamp", "Trekking Poles", "Backpack"),
        1500, 39900, True, "color", ("Forest", "Orange", "Grey"),
    ),
    Department(
        ("Books",),
        ("Cookbook", "Travel Guide", "Novel", "Field Manual", "Poetry Collection"),
        499, 3999, False, "format", ("EPUB", "PDF", "Audiobook"),
    ),
    Department(
        ("Gift Cards",),
        ("Gift Card",),
        2500, 20000, False, "amount", ("25", "50", "100", "200"),
    ),
)

# fmt: on
ADJECTIVES = (
    "Classic",
    "Everyday",
    "Premium",
    "Essential",
    "Modern",
    "Vintage",
    "Compact",
    "Deluxe",
    "Lightweight",
    "Heritage",
    "Urban",
    "Nordic",
    "Coastal",
    "Studio",
    "Artisan",
    "Pro",
)
MATERIALS = (
    "Cotton",
    "Linen",
    "Merino",
    "Bamboo",
    "Walnut",
    "Oak",
    "Ceramic",
    "Copper",
    "Leather",
    "Canvas",
    "Recycled",
    "Organic",
    "Carbon",
    "Stoneware",
    "Aluminium",
    "Wool",
)
CARRIERS = ("UPS", "FedEx", "USPS", "DHL")
