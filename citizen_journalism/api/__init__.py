"""The buyers' API: read-only JSON of the articles a buyer licensed or bought, for a buyer's token."""
