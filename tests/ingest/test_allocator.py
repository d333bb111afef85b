"""ingest.allocator: freed big blocks leave the process (glibc), measured in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ingest.allocator import _libc
from settings import REPO_ROOT

pytestmark = pytest.mark.skipif(_libc() is None, reason="glibc malloc only")

# Free one block over the bound (glibc would raise its mmap threshold to its size), allocate 20
# more (240 MB) with a small block after each (so the heap's top cannot shrink), free the big
# ones, keep the small ones, and report how much RSS went back to the system.
_PROGRAM = """
import ctypes, json, sys
import ingest.allocator as allocator

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096

MB = 1024 * 1024
mode = sys.argv[1]
if mode == "bound":
    assert allocator.bound_heap()
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
size = 12 * MB  # over the bound (8 MiB), under glibc's highest dynamic threshold (32 MiB)
assert size > allocator.MMAP_THRESHOLD_BYTES
first = libc.malloc(size); libc.memset(first, 1, size); libc.free(first)
big, small = [], []
for _ in range(20):
    block = libc.malloc(size - 4096); libc.memset(block, 1, size - 4096); big.append(block)
    small.append(libc.malloc(64))
before = rss()
for block in big:
    libc.free(block)
if mode == "trim":
    allocator.release_freed_memory()
print(json.dumps({"released_mb": (before - rss()) / MB}))
"""


def _released(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", _PROGRAM, mode], cwd=REPO_ROOT, capture_output=True, text=True,
                         check=True, timeout=60)
    return float(json.loads(out.stdout)["released_mb"])


def test_bound_heap_returns_freed_blocks_at_once():
    assert _released("bound") > 200  # of 240 MB freed


def test_release_freed_memory_returns_what_the_heap_kept():
    assert _released("plain") < 40  # glibc's default keeps the blocks: the case the module exists for
    assert _released("trim") > 200
