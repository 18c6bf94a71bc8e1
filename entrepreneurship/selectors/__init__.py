"""Reads of the entrepreneurship app, one module per workflow; import from the module
(`from entrepreneurship.selectors.orders import order_list`, `...selectors.ledger import ledger_rows`)."""
