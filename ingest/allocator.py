"""Keep the ingest process from holding on to memory it has freed (glibc malloc; a no-op elsewhere).

Encoding a group of passages allocates and frees tensors of many sizes (a batch's activations are
tens of MB). glibc serves an allocation over its mmap threshold with its own mapping, returned to
the system when freed, but it *raises* that threshold (up to 32 MB) each time such a block is
freed, so later activations come from the heap and stay resident after ``encode`` returns, in
pieces other allocations then split: the process grew from about 0.6 GB after loading the model
to 1.56 GB by the end of the 69 CRS reports. Fixing the threshold keeps big blocks in mappings
that go back when freed; ``release_freed_memory`` returns what the heap still holds free after
a group is stored.

The threshold is a trade of memory for time: every block over it is a fresh mapping whose pages
the kernel faults in and zeroes on first touch. At glibc's starting value (128 KiB) that was a
quarter of the CPU time of encoding (3.2 million page faults for 367 passages); at 8 MiB the
blocks a batch reuses most stay in the heap, and the trim threshold (fixed along with it, as
glibc does when it moves the threshold itself, at twice its value) keeps ``free`` from handing
the heap's top back and growing it again between batches. The ingest command also asks torch to
put its big tensors on transparent huge pages (``THP_MEM_ALLOC_ENABLE``; ``ingest.__main__``),
one fault per 2 MB instead of per 4 KB. Measured on the CRS reports in docs/benchmarks.md
("Ingest of the CRS reports: memory and speed").
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from functools import lru_cache

log = logging.getLogger(__name__)

_M_TRIM_THRESHOLD = -1  # mallopt parameter numbers from glibc's malloc.h
_M_MMAP_THRESHOLD = -3
# Blocks of 8 MiB and more are mapped and unmapped on their own (glibc starts at 128 KiB and
# raises it up to 32 MiB as big blocks are freed). 128 KiB: 21.7 CPU s and 627 MB peak encoding
# 367 passages; 8 MiB with huge pages: 16.1 s, 663 MB (docs/benchmarks.md).
MMAP_THRESHOLD_BYTES = 8 * 1024 * 1024


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
    """Fix glibc's mmap threshold at ``threshold`` bytes for this process (no dynamic raising),
    and its trim threshold at twice that (the heap's top is handed back once that much is free).

    Returns whether both were set (False off glibc). Call once, early, in a process that embeds
    many batches (the ingest command does).
    """
    if threshold <= 0:
        raise ValueError(f"threshold ({threshold}) must be a positive number of bytes")
    libc = _libc()
    if libc is None:
        return False
    ok = True
    for parameter, name, value in ((_M_MMAP_THRESHOLD, "M_MMAP_THRESHOLD", threshold),
                                   (_M_TRIM_THRESHOLD, "M_TRIM_THRESHOLD", 2 * threshold)):
        if not libc.mallopt(parameter, int(value)):
            log.debug("mallopt(%s, %d) refused", name, value)
            ok = False
    return ok


def release_freed_memory() -> None:
    """Give the free memory glibc's heaps hold back to the system (``malloc_trim(0)``; about a
    millisecond). A no-op off glibc."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
