"""``python -m devcycle`` runs the command line."""

import sys

from devcycle.cli import main

sys.exit(main())
