"""The settings every test root shares; each root's conf.py imports them (`from tests.roots.common_conf import *`)."""

extensions = ["myst_parser", "competency"]
source_suffix = {".md": "markdown"}
competency_source_dir = "competency_src"
nitpicky = True
html_theme = "basic"
smartquotes = False
