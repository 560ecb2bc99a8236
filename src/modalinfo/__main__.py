"""``python -m modalinfo``: the command line."""

import sys

from modalinfo.cli import main

sys.exit(main())
