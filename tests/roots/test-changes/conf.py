# Copied into a scratch git repository by tests/test_diff.py, which sets competency_changes_since.
from tests.roots.common_conf import *  # noqa: F403 (the settings every test root shares)
