"""The only place that touches the internals of Sphinx's HTML builder and of pydata-sphinx-theme: the
builder subclass, the sidebar and header, the templates and static files (tests/test_architecture.py)."""
