from tests.roots.common_conf import *  # noqa: F403 (the settings every test root shares)
