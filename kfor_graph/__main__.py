"""`python -m kfor_graph` runs the CLI."""

from kfor_graph.cli import main

raise SystemExit(main())
