extensions = ["myst_parser", "competency"]
source_suffix = {".md": "markdown"}
competency_source_dir = "competency_src"
nitpicky = True
html_theme = "basic"
smartquotes = False
