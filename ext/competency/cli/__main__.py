"""`python -m competency.cli`: the `competency` command."""

import sys

from . import main

sys.exit(main())
