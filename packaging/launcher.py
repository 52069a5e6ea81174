"""The bundle's entry script: PyInstaller needs a file to start from, and this one only hands
over to the same ``main`` that the ``marginalia`` command and ``python -m gui`` run."""

import sys

from gui.cli import main

sys.exit(main())
