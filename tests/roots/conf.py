# The settings every test root builds with. A root has no conf.py of its own (unless it is another kind
# of project, as test-intersphinx-client): this file is written into each copy of a root, by
# tests/conftest.py for Sphinx's fixtures and by tests/helpers.copy_root for a test's own copy, so a
# copy builds the same in-process, by sphinx-build in a subprocess or through make, importing nothing.
extensions = ["myst_parser", "competency"]
source_suffix = {".md": "markdown"}
competency_source_dir = "competency_src"
nitpicky = True
html_theme = "basic"
smartquotes = False
