"""Run an iterator in a thread of its own, a bounded number of items ahead of its consumer.

The importer has two halves that want different things. Reading records (decoding, parsing
JSON or CSV, checking them against the schema, hashing their texts) is Python, holding the
GIL. Storing them is mostly SQLite: inserting rows and tokenizing every text for the word
filter's index, which Python's sqlite3 runs with the GIL released. In one thread they take
turns; with the reading in a second thread, batch N+1 is read on one core while batch N is
stored on the other. The consumer's thread keeps the database connection (one thread owns a
``Project``) and the transaction, so an import is still all or nothing.

Memory stays bounded: at most ``depth`` items wait, besides the one the consumer holds and the
one being made. An exception raised while making an item is raised in the consumer's thread,
as it was raised (an ``InputError`` keeps its file, line and reason). Leaving the ``with``
block early (an error while storing, a cancel, Ctrl+C) stops the thread once the item under
way is made, closes the iterator there (a generator's open files with it) and waits for it, so
no thread outlives the block.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


@contextlib.contextmanager
def read_ahead(items: Iterable[T], depth: int = 1) -> Iterator[Iterator[T]]:
    """``with read_ahead(batches()) as ahead: for batch in ahead: …``"""
    waiting: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def make() -> None:
        iterator = iter(items)  # here, so a generator's body runs in this thread
        try:
            for item in iterator:
                waiting.put(item)
                if stop.is_set():
                    return
            waiting.put(_END)
        except BaseException as exc:  # every failure is the consumer's to raise
            waiting.put(_Failed(exc))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    def consume() -> Iterator[T]:
        while True:
            item = waiting.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]

    thread = threading.Thread(target=make, name="read-ahead", daemon=True)
    thread.start()
    try:
        yield consume()
    finally:
        stop.set()
        while thread.is_alive():  # make room for a put the thread may be blocked in
            with contextlib.suppress(queue.Empty):
                while True:
                    waiting.get_nowait()
            thread.join(0.05)
