"""``python -m gui`` is the same entry point as the ``marginalia`` command."""

import sys

from gui.cli import main

sys.exit(main())
