"""`python -m app.cli`: the same as the `resonate` command."""

import sys

from app.cli import main

sys.exit(main())
