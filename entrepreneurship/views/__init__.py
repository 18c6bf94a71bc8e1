"""Views of the entrepreneurship app, one module per workflow; urls.py imports the modules."""
