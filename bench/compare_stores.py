"""Whether two stores hold the same passages and vectors (e.g. one ingest before a change, one after).

    .venv/bin/python -m bench.compare_stores STORE_A STORE_B

Reads every passage of each embedded store (``bench.ingest_pdfs --keep DIR`` keeps one) and
prints: the passage count of each, the ids found in only one, the passages whose text or
metadata differ, and over the common passages the number of vectors that differ in any bit,
the largest absolute difference of a component and the lowest cosine between a passage's two
vectors. Exits 1 when passages, texts or metadata differ or a cosine is below 1 - 1e-6.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from settings import Settings
from vectorstore.store import make_client

COSINE_TOLERANCE = 1e-6


def _passages(path: Path) -> dict[str, tuple[str, dict[str, Any], np.ndarray]]:
    """Every passage of the store at ``path``: id -> (text, metadata, vector)."""
    client = make_client(path=str(path))
    collection = client.get_collection(Settings().store.collection)
    found: dict[str, tuple[str, dict[str, Any], np.ndarray]] = {}
    offset, page = 0, 1000
    while True:
        rows = collection.get(include=["documents", "metadatas", "embeddings"], limit=page, offset=offset)
        for id_, text, meta, vector in zip(rows["ids"], rows["documents"], rows["metadatas"], rows["embeddings"]):
            found[id_] = (text, dict(meta or {}), np.asarray(vector, dtype=np.float32))
        if len(rows["ids"]) < page:
            return found
        offset += page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="an embedded store directory")
    parser.add_argument("second", type=Path, help="another embedded store directory")
    args = parser.parse_args(argv)
    a, b = _passages(args.first), _passages(args.second)
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    common = sorted(set(a) & set(b))
    texts = [i for i in common if a[i][0] != b[i][0]]
    metadata = [i for i in common if a[i][1] != b[i][1]]
    print(f"passages: {len(a)} in {args.first}, {len(b)} in {args.second}; "
          f"only in the first {len(only_a)}, only in the second {len(only_b)}")
    print(f"common passages {len(common)}: text differs {len(texts)}, metadata differs {len(metadata)}")
    worst = 1.0
    if common:
        first = np.stack([a[i][2] for i in common])
        second = np.stack([b[i][2] for i in common])
        differ = int(np.any(first != second, axis=1).sum())
        cosines = np.sum(first * second, axis=1) / (np.linalg.norm(first, axis=1) * np.linalg.norm(second, axis=1))
        worst = float(cosines.min())
        print(f"vectors: {differ} differ in any bit; largest component difference "
              f"{float(np.abs(first - second).max()):.3g}; lowest cosine {worst:.9f}")
    same = not (only_a or only_b or texts or metadata) and worst >= 1 - COSINE_TOLERANCE
    print("same passages and vectors" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
