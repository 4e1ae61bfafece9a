# Another Sphinx project linking to the competency site through intersphinx (manual/intersphinx.md).
# The test puts a locally built objects.inv of the basic test root beside this file.
from pathlib import Path

extensions = ["myst_parser", "sphinx.ext.intersphinx", "competency.intersphinx_client"]
source_suffix = {".md": "markdown"}
nitpicky = True
html_theme = "basic"
intersphinx_mapping = {
    "competencies": ("https://intranet.example/competencies/", str(Path(__file__).parent / "objects.inv")),
}
