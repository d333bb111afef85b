"""BM25 keyword search over the store's ready passages (bm25s, lowercased, Snowball-stemmed).

Tokens are taken from text folded for matching (``text.scripts.fold``: "ﬂood" is "flood"), and
scripts written without spaces (Chinese, Japanese, Thai ...) are indexed by character bigrams.

Local Chroma has no sparse search, so the index is built in memory from ``store.iter_chunks()``
and rebuilt by the retriever whenever the store's passages change. Reading every passage back
from Chroma is the slow part (about 1 s per 10,000 passages, most of it Chroma decoding
metadata), so an index can be saved to a folder and loaded again in a fraction of that
(``KeywordIndex.save`` / ``KeywordIndex.load``; ``retrieval.keyword_cache`` decides when).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS

from text.scripts import fold, unspaced_bigrams
from vectorstore.types import Chunk

log = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG on import, which makes every index build print through any
# handler an application installs; give the level back to the application's configuration.
logging.getLogger("bm25s").setLevel(logging.NOTSET)

# Words of one character carry no evidence, but numbers do ("$8", "5G"): keep any \w run.
_TOKEN_PATTERN = r"(?u)\b\w+\b"
# Bump when tokenising or the saved layout changes: a saved index of another format is rebuilt.
FORMAT = 5
# "FY2023" is "fiscal year 2023": a table column headed "Fiscal Year" holds "2023", a question asks "in FY2023",
# and the one token "fy2023" matched neither "fiscal year" nor "2023". Written out before tokenising.
_FISCAL_YEAR = re.compile(r"\bFY ?((?:19|20)\d\d)\b", re.IGNORECASE)
# A designation of capitals, a hyphen and a number ("XM-30", "M-1E3", "MQ-9", "K-12") is written both ways, often
# in one brief ("the XM-30" in its text, "XM30" in a source's title): a hyphenated one gives the joined token too,
# and keeps its two parts, which a text writing it spaced ("SM - 6", as PDF text may) has. A heuristic: capitals
# only, so "mid-2000s" and "pre-1990" are as before.
_DESIGNATION = re.compile(r"\b([A-Z]{1,4})-(\d[A-Za-z0-9]*)\b")
_CHUNK_FIELDS = [f.name for f in dataclasses.fields(Chunk)]
_PASSAGES_FILE = "passages.json"
_BM25_FOLDER = "bm25"


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _lemma_stems(words: list[str]) -> list[str]:
    """The Snowball stem of each word's lemma, so that irregular inflections stem as their base form: "drew" ->
    "draw", "repaid" -> "repay", "withdrawn" -> "withdraw", "upheld" -> "uphold", "children" -> "child".

    A heuristic: ``simplemma``'s English dictionary, looked up without the word's part of speech (a word it does
    not list is its own lemma), so a form of two words takes one reading ("left" is "leave", "better" is "good")."""
    from simplemma import lemmatize

    return _stemmer().stemWords([lemmatize(word, lang="en").lower() for word in words])


def tokenize(texts: Sequence[str], *, lemmas: bool = False) -> list[list[str]]:
    """Lowercased, stop-word-free (NLTK's English list), stemmed tokens of each text, folded
    for matching, "FY2023" read as "fiscal year 2023", "XM-30" as "XM30 XM 30"; runs of an unspaced script give their character bigrams ("免费用水" -> 免费, 费用, 用水).

    ``lemmas``: each word is mapped to its dictionary lemma before stemming (``_lemma_stems``), which the
    stemmer alone does not do for irregular forms ("drew" stays "drew"). Used where a question's words are
    looked for in a sentence (``answer.extractive.score_sentences``); the keyword index stems only."""
    prepared = [unspaced_bigrams(fold(_DESIGNATION.sub(r"\1\2 \1 \2", _FISCAL_YEAR.sub(r"fiscal year \1", text))))
                for text in texts]
    return bm25s.tokenize(prepared, lower=True, token_pattern=_TOKEN_PATTERN, stopwords=STOPWORDS_EN_PLUS,
                          stemmer=_lemma_stems if lemmas else _stemmer().stemWords, return_ids=False,
                          show_progress=False)


@dataclass(frozen=True)
class KeywordHit:
    position: int  # index of the passage in ``KeywordIndex.chunks``
    score: float


class KeywordIndex:
    """An in-memory BM25 index of a fixed list of passages.

    ``texts`` are what is indexed for each passage (by default its own text); a caller may add
    the brief title and section heading so that a passage is found by the subject it is under.
    """

    def __init__(self, chunks: Sequence[Chunk], texts: Sequence[str] | None = None, *,
                 k1: float = 1.2, b: float = 0.75) -> None:
        if texts is not None and len(texts) != len(chunks):
            raise ValueError(f"{len(texts)} texts for {len(chunks)} passages")
        self.chunks: tuple[Chunk, ...] = tuple(chunks)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        self._vocab: set[str] = set()
        self._groups: tuple[np.ndarray, list[int]] | None = None
        if self.chunks:
            corpus = tokenize(texts if texts is not None else [c.text for c in self.chunks])
            # bm25s cannot index a passage without tokens; give it a placeholder that no query has.
            corpus = [tokens or [" "] for tokens in corpus]
            self._bm25.index(corpus, show_progress=False)
            self._vocab = {t for tokens in corpus for t in tokens}
        log.debug("keyword index built over %d passages", len(self.chunks))

    def __len__(self) -> int:
        return len(self.chunks)

    def brief_mask(self, keep: Callable[[Chunk], bool]) -> np.ndarray:
        """Booleans, one per passage, from a test of its brief's fields (source, doc_id, title,
        date, series, authors), run once per distinct brief rather than once per passage.

        Only for tests that read nothing else of the passage (``Filters.matches`` does not):
        at 100,000 passages this is a few milliseconds instead of a tenth of a second.
        """
        return self.briefs_matching(keep)[0]

    def briefs_matching(self, keep: Callable[[Chunk], bool]) -> tuple[np.ndarray, tuple[str, ...]]:
        """``brief_mask(keep)`` and the ids of the briefs it keeps, sorted."""
        groups, first = self._brief_groups()
        kept = np.fromiter((keep(self.chunks[i]) for i in first), dtype=bool, count=len(first))
        doc_ids = sorted({self.chunks[first[g]].doc_id for g in np.flatnonzero(kept)})
        return kept[groups], tuple(doc_ids)

    def _brief_groups(self) -> tuple[np.ndarray, list[int]]:
        """Per passage, the number of its brief; per brief, the position of its first passage."""
        if self._groups is None:
            numbers: dict[tuple, int] = {}
            first: list[int] = []
            groups = np.empty(len(self.chunks), dtype=np.int32)
            for position, c in enumerate(self.chunks):
                key = (c.doc_id, c.source, c.title, c.date, c.series, c.authors)
                number = numbers.setdefault(key, len(first))
                if number == len(first):
                    first.append(position)
                groups[position] = number
            self._groups = (groups, first)
        return self._groups

    def save(self, folder: Path) -> None:
        """Write the index into ``folder`` (created; it must not exist yet).

        bm25s writes its own score matrix (NumPy arrays) and vocabulary; the passages go
        beside it as one JSON file of rows, in ``Chunk`` field order.
        """
        folder.mkdir(parents=True)
        if self.chunks:
            self._bm25.save(str(folder / _BM25_FOLDER), show_progress=False)
        rows = [[getattr(c, name) for name in _CHUNK_FIELDS] for c in self.chunks]
        header = {"format": FORMAT, "fields": _CHUNK_FIELDS, "k1": self._bm25.k1, "b": self._bm25.b}
        with open(folder / _PASSAGES_FILE, "w", encoding="utf-8") as handle:
            json.dump({**header, "rows": rows}, handle, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        """An index saved by ``save``. Raises ``ValueError`` when the folder holds another format."""
        with open(folder / _PASSAGES_FILE, encoding="utf-8") as handle:
            saved = json.load(handle)
        if saved.get("format") != FORMAT or saved.get("fields") != _CHUNK_FIELDS:
            raise ValueError(f"{folder} holds a keyword index of another format")
        authors = _CHUNK_FIELDS.index("authors")
        pages = _CHUNK_FIELDS.index("page_starts")
        chunks = []
        for row in saved["rows"]:
            row[authors] = tuple(row[authors])
            row[pages] = tuple(tuple(start) for start in row[pages])  # JSON gives lists
            chunks.append(Chunk(*row))
        index = cls.__new__(cls)
        index.chunks, index._groups = tuple(chunks), None
        if index.chunks:
            index._bm25 = bm25s.BM25.load(str(folder / _BM25_FOLDER), load_corpus=False)
            if int(index._bm25.scores["num_docs"]) != len(index.chunks):
                raise ValueError(f"{folder}: {index._bm25.scores['num_docs']} scored passages for {len(index.chunks)}")
            index._vocab = set(index._bm25.vocab_dict)
        else:
            index._bm25, index._vocab = bm25s.BM25(k1=saved["k1"], b=saved["b"]), set()
        return index

    def writing(self, query: str) -> np.ndarray:
        """The positions (in ``chunks``, ascending, int) of the passages whose indexed text holds every
        term of ``query`` (``tokenize``: stemmed, stop words aside); empty when the query has no term or a
        term no passage holds. One BM25 score row per term: milliseconds over 10,000 passages."""
        terms = list(dict.fromkeys(tokenize([query])[0]))
        if not terms or not self.chunks or any(t not in self._vocab for t in terms):
            return np.empty(0, dtype=np.int64)
        holds = np.ones(len(self.chunks), dtype=bool)
        for term in terms:
            holds &= np.asarray(self._bm25.get_scores([term])) > 0
        return np.flatnonzero(holds)

    def search(self, query: str, k: int, *, mask: np.ndarray | None = None) -> list[KeywordHit]:
        """The ``k`` best passages for ``query`` with a positive BM25 score, best first.

        ``mask`` (booleans, one per passage) limits the search to the passages marked True.
        """
        if k <= 0:
            raise ValueError(f"k ({k}) must be positive")
        if mask is not None and len(mask) != len(self.chunks):
            raise ValueError(f"mask has {len(mask)} entries for {len(self.chunks)} passages")
        tokens = [t for t in tokenize([query])[0] if t in self._vocab]
        if not tokens:
            return []
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        positive = np.flatnonzero(scores > 0)
        if positive.size == 0:
            return []
        # Stable sort on -score: equal scores keep passage order, so results are deterministic.
        order = positive[np.argsort(-scores[positive], kind="stable")][:k]
        return [KeywordHit(int(i), float(scores[i])) for i in order]
