"""A progress bar on the terminal (tqdm, declared in pyproject.toml), silent when piped."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager


@contextmanager
def progress_bar(description: str, unit: str = "B") -> Iterator[Callable[[int, int], None]]:
    """Yields a ``(done, total)`` callback that draws a bar on stderr if it is a terminal."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from tqdm import tqdm

    bar = tqdm(desc=description, unit=unit, unit_scale=True, leave=False, file=sys.stderr)
    try:

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        yield update
    finally:
        bar.close()


@contextmanager
def migration_progress() -> Iterator[None]:
    """While a command runs: if opening its project converts an older file (which can take
    seconds: the word index over every text), say so, with a bar on a terminal and one line
    otherwise. Nothing is shown when the file is current."""
    from gui.core.migrations import reporting

    with ExitStack() as stack:
        shown: list[Callable[[int, int], None]] = []

        def update(done: int, total: int) -> None:
            if not shown:
                if sys.stderr.isatty():
                    shown.append(stack.enter_context(
                        progress_bar("converting the project file", unit="doc")))
                else:
                    print("marginalia: converting the project file from an older version's "
                          "format…", file=sys.stderr)
                    shown.append(lambda _done, _total: None)
            shown[0](done, total)

        with reporting(update):
            yield
