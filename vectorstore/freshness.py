"""When is what this process built from a store stale? The one answer, for every reader.

Readers keep things built from a store: the keyword (BM25) index over its passages, the list of
briefs the sidebar shows, and the embedded Chroma client itself. Two kinds of change make them
stale, and ``StoreWatch`` tells them apart:

- **This process's own writes**, through any ``ChromaStore`` opened on the store: every write
  moves the store's *write stamp* at once (``note_write``, called by ``ChromaStore``), and a sync
  recorded by this process notes the generation it moved the store from and to
  (``note_sync``). The client that wrote has seen its own writes, so it stays open.
- **Another process's sync**: seen only through the store itself, its sync *generation* (bumped
  by every sync that changed something) and its passage count.

What each reader asks:

- ``StoreWatch.version()``: ``(generation, passages)``; a reader rebuilds what it built when
  this moves (``retrieval.keyword_retriever`` rebuilds the keyword index, ``system`` re-reads the
  brief list). Asking the store costs 2.5 ms at 10,000 passages and 10 ms at 100,000, a fifth
  of a search, so the answer is trusted for ``recheck_s`` seconds unless this process wrote
  since: own writes are seen at once, another process's within ``recheck_s``.
- ``StoreWatch.changed_elsewhere(since)``: whether the generation moved since ``since`` by any
  sync this process did not record. A long-running embedded Chroma client does not see vectors
  another process added (FIELD-NOTES), so ``system.System`` then clears Chroma's client cache and
  opens the store afresh. It reads the generation every time (one small read by id).

A keyword index saved on disk (``retrieval.keyword_cache``) is keyed by the exact ids of the
passages it covers, so a stale saved copy is never loaded, whatever the version says.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Protocol

_lock = threading.Lock()
_STAMPS = itertools.count(1)
_WRITE_STAMPS: dict[Hashable, int] = {}  # store identity -> latest write stamp of this process
_OWN_SYNCS: dict[Hashable, dict[int, int]] = {}  # store identity -> {generation before: after} of our syncs


def note_write(store_identity: Hashable) -> None:
    """This process wrote to the store (called by ``ChromaStore`` after every write)."""
    with _lock:
        _WRITE_STAMPS[store_identity] = next(_STAMPS)


def note_sync(store_identity: Hashable, before: int, after: int) -> None:
    """This process recorded a sync that moved the store's generation from ``before`` to ``after``."""
    with _lock:
        if before != after:
            _OWN_SYNCS.setdefault(store_identity, {})[before] = after


def write_stamp(store_identity: Hashable) -> int:
    """Changes whenever this process writes to the store; 0 before any write."""
    return _WRITE_STAMPS.get(store_identity, 0)


class WatchedStore(Protocol):
    """What ``StoreWatch`` reads of a store (``vectorstore.store.ChromaStore``)."""

    @property
    def identity(self) -> Hashable: ...  # read-only here, so a store's own tuple type satisfies it

    def state(self) -> dict[str, Any]: ...

    def count(self) -> int: ...


@dataclass(frozen=True)
class StoreVersion:
    generation: int  # syncs that changed something, by any process
    passages: int  # passages stored, ready or not


class StoreWatch:
    """Tells the readers of one store whether it changed since they built from it (module docstring).

    Safe to share between threads and between the readers of one opening. ``clock`` gives
    seconds (``time.monotonic``; tests pass their own).
    """

    def __init__(self, store: WatchedStore, *, recheck_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if recheck_s < 0:
            raise ValueError(f"recheck_s ({recheck_s}) must not be negative")
        self.store, self.recheck_s, self._clock = store, recheck_s, clock
        self._lock = threading.Lock()
        self._last: tuple[int, float, StoreVersion] | None = None  # (write stamp, when, version)

    def generation(self) -> int:
        """The store's sync generation, read now."""
        return int(self.store.state().get("generation", 0))

    def version(self) -> StoreVersion:
        """The store's version: read at once after a write of this process, else at most every ``recheck_s``."""
        stamp = write_stamp(self.store.identity)  # read before the store, so a write meanwhile is seen next time
        now = self._clock()
        with self._lock:
            if self._last is not None and self._last[0] == stamp and now - self._last[1] < self.recheck_s:
                return self._last[2]
        version = StoreVersion(self.generation(), self.store.count())
        with self._lock:
            self._last = (stamp, now, version)
        return version

    def changed_elsewhere(self, since: int, generation: int | None = None) -> bool:
        """Whether a sync this process did not record moved the generation from ``since`` to
        ``generation`` (read now when not given)."""
        generation = self.generation() if generation is None else generation
        with _lock:
            own = dict(_OWN_SYNCS.get(self.store.identity, {}))
        at, steps = since, 0
        while at != generation and at in own and steps <= len(own):
            at, steps = own[at], steps + 1
        return at != generation
