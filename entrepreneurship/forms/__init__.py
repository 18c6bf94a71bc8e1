"""Forms of the entrepreneurship app, one module per workflow; import from the module."""
