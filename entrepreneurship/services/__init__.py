"""Writes of the entrepreneurship app, one module per workflow; import from the module
(`from entrepreneurship.services.orders import order_create`)."""
