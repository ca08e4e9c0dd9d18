"""Entry point of ``python -m sunshine.publisher``; see cli.py."""

import sys

from .cli import main

sys.exit(main())
