"""A progress bar on the terminal (tqdm, declared in pyproject.toml), silent when piped."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(description: str, unit: str = "B") -> Iterator[Callable[[int, int], None]]:
    """Yields a ``(done, total)`` callback that draws a bar on stderr if it is a terminal."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    bar = tqdm(desc=description, unit=unit, unit_scale=True, leave=False, file=sys.stderr)
    try:

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        yield update
    finally:
        bar.close()
