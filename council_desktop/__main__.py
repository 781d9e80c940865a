"""`python -m council_desktop`: the window, or a CLI subcommand when one is given."""

import sys

from .cli import main

sys.exit(main())
