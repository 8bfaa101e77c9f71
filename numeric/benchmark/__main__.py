"""``python -m numeric.benchmark``."""

from numeric.benchmark.cli import main

raise SystemExit(main())
