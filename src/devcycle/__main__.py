"""``python -m devcycle`` runs the command line."""

import sys

from devcycle._console import main

sys.exit(main())
