"""`python -m capacity …` runs the command-line interface."""

from capacity.cli import main

raise SystemExit(main())
