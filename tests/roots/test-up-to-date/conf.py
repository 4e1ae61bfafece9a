# A checkout as `make html` builds it (conf.py, docs/, competency_src/), for tests/test_build_site_up_to_date.py.
import os
import time

extensions = ["myst_parser", "competency"]
source_suffix = {".md": "markdown"}
competency_source_dir = "competency_src"
nitpicky = True
html_theme = "basic"
smartquotes = False
# A folder outside docs/ that only this setting names: the fingerprint must find it through conf.py.
html_static_path = ["_static"]
# The date pages print, from SOURCE_DATE_EPOCH, as siteconf.py sets it for every site (a new date is
# a changed setting: every page is written again).
_epoch = os.environ.get("SOURCE_DATE_EPOCH")
today = time.strftime("%Y-%m-%d", time.gmtime(int(_epoch))) if _epoch else ""
