"""``python -m derivations``: see derivations.cli."""

import sys

from derivations.cli import main

sys.exit(main())
