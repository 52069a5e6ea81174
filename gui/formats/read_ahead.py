"""Run an iterator in a thread of its own, one item ahead of its consumer when it says so.

The importer has two halves that want different things. Reading records (decoding, parsing
JSON or CSV, checking them against the schema, hashing their texts) is Python, holding the
GIL. Storing them is SQLite: inserting the rows, which Python's sqlite3 does a row at a time
(it takes the GIL back after every row), then taking them into the word filter's index, one
long step of SQLite with the GIL released. The reading can overlap that long step on a second
core; overlapping the row-by-row insert would only make the two threads trade the GIL at every
row (each trade waits up to Python's 5 ms switch interval, far longer on a busy machine). So
the consumer says when the next item may be made, ``go()``, right before its long step; asking
for the next item lets it be made too, so without ``go()`` this is plain lazy iteration.

The consumer's thread keeps the database connection (one thread owns a ``Project``) and the
transaction, so an import is still all or nothing. At most one item waits, besides the one the
consumer holds, so memory stays bounded. An exception raised while making an item is raised in
the consumer's thread, as it was raised (an ``InputError`` keeps its file, line and reason).
Leaving the ``with`` block early (an error while storing, a cancel, Ctrl+C) stops the thread
once the item under way is made, closes the iterator there (a generator's open files with it)
and waits for it, so no thread outlives the block.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
_END = object()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


class ReadAhead(Generic[T]):
    """``with ReadAhead(batches()) as ahead: for batch in ahead: …; ahead.go(); …``"""

    def __init__(self, items: Iterable[T]):
        self._items = items
        # The thread makes an item only when asked, and the consumer asks for one more than
        # it took at most: so at most one item waits here, and a put never blocks.
        self._made: queue.Queue[object] = queue.Queue()
        self._may_make = threading.Semaphore(0)
        self._asked = self._taken = 0  # items the thread may make; items the consumer took
        self._finished = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._make, name="read-ahead", daemon=True)

    def __enter__(self) -> ReadAhead[T]:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._may_make.release()  # wake the thread if it waits for leave to make another
        self._thread.join()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._finished:
            raise StopIteration
        self.go()
        item = self._made.get()
        self._taken += 1
        if item is _END or isinstance(item, _Failed):
            self._finished = True
        if item is _END:
            raise StopIteration
        if isinstance(item, _Failed):
            raise item.error
        return item  # type: ignore[return-value]

    def go(self) -> None:
        """Let the thread make the next item now (once per item; more calls change nothing)."""
        if self._asked == self._taken:
            self._asked += 1
            self._may_make.release()

    def _make(self) -> None:
        iterator = iter(self._items)  # here, so a generator's body runs in this thread
        try:
            while True:
                self._may_make.acquire()
                if self._stop.is_set():
                    return
                try:
                    item = next(iterator)
                except StopIteration:
                    self._made.put(_END)
                    return
                self._made.put(item)
        except BaseException as exc:  # every failure is the consumer's to raise
            self._made.put(_Failed(exc))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
