"""`python -m benchmarks` (what `make bench` runs); see `benchmarks.suite`."""

from benchmarks.suite import main

raise SystemExit(main())
