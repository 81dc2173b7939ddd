"""Clean data: validation, SKU and identifier normalisation, missing data, deduplication and
product matching. Pure functions, so the properties are proven on them directly."""
