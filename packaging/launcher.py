"""The bundle's entry script: PyInstaller needs a file to start from, and this one only hands
over to the same ``main`` that the ``marginalia`` command and ``python -m gui`` run.

``freeze_support`` first: pre-fill can run spaCy in worker processes, and a frozen program that
starts them with the "spawn" method (macOS, Windows) would otherwise run the whole command line
again in each worker instead of the worker's code."""

import multiprocessing
import sys

from gui.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
