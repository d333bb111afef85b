"""The kind (``answer.kinds.classify``) of every question of the repository's question files, to
compare rule versions: ``python -m bench.question_kinds > AFTER.tsv`` then ``diff BEFORE.tsv AFTER.tsv``.

Reads ``tests/data/*.jsonl`` and ``bench/data/*.jsonl``; prints one line per question:
file, id (or line number), kind, question, tab-separated.
"""

from __future__ import annotations

import json

from answer.kinds import classify
from settings import REPO_ROOT


def main() -> int:
    paths = sorted((REPO_ROOT / "tests" / "data").glob("*.jsonl")) + sorted((REPO_ROOT / "bench" / "data").glob("*.jsonl"))
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            question = json.loads(line).get("question")
            if isinstance(question, str):
                row = json.loads(line)
                print(f"{path.relative_to(REPO_ROOT)}\t{row.get('id', n)}\t{classify(question)}\t{question}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
