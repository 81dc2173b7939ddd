"""Connectors: what fetches a source's records (Shopify, another Mercato store, files and
URLs, competitors' pages) behind one small interface (`base.Connector`)."""
