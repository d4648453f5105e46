"""``python -m actviz`` runs the command line."""

from actviz.cli import main

raise SystemExit(main())
