"""Let `python -m generator` run the `gazette` command."""

from generator.cli import main

raise SystemExit(main())
