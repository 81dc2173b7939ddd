"""Addresses in a message: the street with its number, the postal code (by the countries'
formats), the city beside them, the country by name (→ ISO 3166 alpha-2). A bare five-digit
number is a postal code only beside a street, a city or a word that says so."""

from __future__ import annotations

import re

from mercato.agents.assistant.nlu.found import Entity, free

COUNTRIES = {
    "united states": "US", "usa": "US", "u.s.": "US", "us": "US", "america": "US",
    "united kingdom": "GB", "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "great britain": "GB", "britain": "GB", "germany": "DE", "deutschland": "DE",
    "france": "FR", "spain": "ES", "espana": "ES", "italy": "IT", "italia": "IT",
    "netherlands": "NL", "holland": "NL", "the netherlands": "NL", "belgium": "BE",
    "austria": "AT", "switzerland": "CH", "ireland": "IE", "portugal": "PT", "poland": "PL",
    "sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI", "czechia": "CZ",
    "czech republic": "CZ", "greece": "GR", "canada": "CA", "mexico": "MX", "brazil": "BR",
    "argentina": "AR", "australia": "AU", "new zealand": "NZ", "japan": "JP", "china": "CN",
    "india": "IN", "singapore": "SG", "south korea": "KR", "korea": "KR", "turkey": "TR",
    "south africa": "ZA", "nigeria": "NG", "egypt": "EG", "israel": "IL",
    "united arab emirates": "AE", "uae": "AE", "luxembourg": "LU", "hungary": "HU",
    "romania": "RO", "croatia": "HR", "slovakia": "SK", "slovenia": "SI", "estonia": "EE",
    "latvia": "LV", "lithuania": "LT", "iceland": "IS", "chile": "CL", "colombia": "CO",
    "peru": "PE", "philippines": "PH", "indonesia": "ID", "malaysia": "MY", "thailand": "TH",
    "vietnam": "VN", "ukraine": "UA",
}  # fmt: skip
_AMBIGUOUS_COUNTRY = {"us"}
"""Words that are a country only where an address is: "send it to us"."""
CITIES = {
    "london", "manchester", "birmingham", "leeds", "glasgow", "edinburgh", "bristol",
    "liverpool", "berlin", "munich", "hamburg", "cologne", "frankfurt", "paris", "lyon",
    "marseille", "madrid", "barcelona", "rome", "milan", "amsterdam", "rotterdam",
    "brussels", "vienna", "zurich", "dublin", "lisbon", "warsaw", "stockholm", "oslo",
    "copenhagen", "helsinki", "prague", "new york", "los angeles", "chicago", "houston",
    "boston", "seattle", "san francisco", "austin", "miami", "denver", "toronto",
    "vancouver", "montreal", "sydney", "melbourne", "auckland", "tokyo", "singapore",
    "springfield", "portland", "washington", "philadelphia", "atlanta", "dallas",
}  # fmt: skip
_STREET_WORDS = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|place|pl|court|ct|"
    r"terrace|close|crescent|square|sq|highway|hwy|parkway|pkwy|row|hill|gardens|grove|walk"
)
_STREET = re.compile(
    rf"\b\d{{1,5}}[a-z]?,?\s+(?:[A-Za-z'-]+\s+){{0,3}}(?:{_STREET_WORDS})\b\.?"
    r"|\b[A-Za-zÀ-ÿ-]+(?:strasse|straße|str\.|weg|platz|gasse|allee|laan|straat|gatan|vej)\s+\d{1,5}[a-z]?\b"
    r"|\b\d{1,5}[a-z]?,?\s+(?:rue|avenue|boulevard|bd|via|calle|avenida|plaza|chemin)\s+(?:[A-Za-zÀ-ÿ'-]+\s?){1,4}",
    re.IGNORECASE,
)
_POSTAL_STRICT = re.compile(
    r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|\d{4}\s?[A-Z]{2}(?![a-z]))\b",
    re.IGNORECASE,
)
_POSTAL_DIGITS = re.compile(r"\b\d{5}(?:-\d{4})?\b|\b\d{4}\b")
_POSTAL_CUE = re.compile(r"\b(zip|postcode|post code|postal code|plz|cp)\b", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


def emails(text: str, taken: list[Entity]) -> list[Entity]:
    return [
        Entity("email", m.group(0).lower(), m.start(), m.end())
        for m in _EMAIL.finditer(text)
        if free(taken, m.start(), m.end())
    ]


def addresses(text: str, taken: list[Entity]) -> list[Entity]:
    found: list[Entity] = []
    for m in _STREET.finditer(text):
        start = m.start()
        raw = m.group(0).rstrip(" ,.")
        if free(taken, start, start + len(raw)):
            found.append(Entity("street", re.sub(r"\s+", " ", raw), start, start + len(raw)))
    found += _countries(text, taken + found, addressy=bool(found))
    found += _postal_codes(
        text, taken + found, addressy=bool(found) or bool(_POSTAL_CUE.search(text))
    )
    found += _cities(text, taken + found)
    return found


def _countries(text: str, taken: list[Entity], *, addressy: bool) -> list[Entity]:
    lowered = text.lower()
    found: list[Entity] = []
    for name in sorted(COUNTRIES, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w.]){re.escape(name)}(?![\w])", lowered):
            if name in _AMBIGUOUS_COUNTRY and not (
                addressy and text[m.start() : m.end()].isupper()
            ):
                continue
            if free(taken + found, m.start(), m.end()):
                found.append(Entity("country", COUNTRIES[name], m.start(), m.end()))
    return found


def _postal_codes(text: str, taken: list[Entity], *, addressy: bool) -> list[Entity]:
    found: list[Entity] = []
    for m in _POSTAL_STRICT.finditer(text):
        code = m.group(0)
        if not any(c.isdigit() for c in code) or not any(c.isalpha() for c in code):
            continue
        if code.lower() == code and not addressy:
            continue  # "2 xl" typed in lower case is no postal code without an address near
        if free(taken + found, m.start(), m.end()):
            found.append(Entity("postal_code", code.upper(), m.start(), m.end()))
    if addressy:
        for m in _POSTAL_DIGITS.finditer(text):
            if free(taken + found, m.start(), m.end()):
                found.append(Entity("postal_code", m.group(0), m.start(), m.end()))
    return found


def _cities(text: str, taken: list[Entity]) -> list[Entity]:
    lowered = text.lower()
    found: list[Entity] = []
    for name in sorted(CITIES, key=len, reverse=True):
        for m in re.finditer(rf"\b{re.escape(name)}\b", lowered):
            if free(taken + found, m.start(), m.end()):
                found.append(Entity("city", text[m.start() : m.end()].title(), m.start(), m.end()))
    # a capitalised word right after a postal code or a street and a comma: "10115 Berlin"
    anchors = [e for e in taken if e.type in {"postal_code", "street"}]
    for anchor in anchors:
        after = re.match(r"[\s,]+([A-Z][a-zA-ZÀ-ÿ-]+(?:\s[A-Z][a-zA-ZÀ-ÿ-]+)?)", text[anchor.end :])
        if after:
            start = anchor.end + after.start(1)
            end = anchor.end + after.end(1)
            if after.group(1).lower() not in COUNTRIES and free(taken + found, start, end):
                found.append(Entity("city", after.group(1), start, end))
    return found
