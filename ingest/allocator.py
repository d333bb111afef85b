"""Keep the ingest process from holding on to memory it has freed (glibc malloc; a no-op elsewhere).

Encoding a group of passages allocates and frees tensors of many sizes (a batch's activations are
tens of MB). glibc serves an allocation over its mmap threshold with its own mapping, returned to
the system when freed, but it *raises* that threshold (up to 32 MB) each time such a block is
freed, so later activations come from the heap and stay resident after ``encode`` returns, in
pieces other allocations then split: the process grew from about 0.6 GB after loading the model
to 1.56 GB by the end of the 69 CRS reports. Fixing the threshold keeps big blocks in mappings
that go back when freed; ``release_freed_memory`` returns what the heap still holds free after
a group is stored. Measured on the CRS reports in docs/benchmarks.md ("Ingest of the CRS
reports: memory").
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from functools import lru_cache

log = logging.getLogger(__name__)

_M_MMAP_THRESHOLD = -3  # mallopt parameter numbers from glibc's malloc.h
# glibc's own starting value: blocks of 128 KiB and more are mapped and unmapped on their own.
MMAP_THRESHOLD_BYTES = 128 * 1024


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt  # noqa: B018 - glibc only (musl has neither function)
        libc.malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def bound_heap(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Fix glibc's mmap threshold at ``threshold`` bytes for this process (no dynamic raising).

    Returns whether it was set (False off glibc). Call once, early, in a process that embeds
    many batches (the ingest command does).
    """
    libc = _libc()
    if libc is None:
        return False
    ok = bool(libc.mallopt(_M_MMAP_THRESHOLD, int(threshold)))
    if not ok:
        log.debug("mallopt(M_MMAP_THRESHOLD, %d) refused", threshold)
    return ok


def release_freed_memory() -> None:
    """Give the free memory glibc's heaps hold back to the system (``malloc_trim(0)``; about a
    millisecond). A no-op off glibc."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
