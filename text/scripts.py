"""Scripts written without spaces between words, and text folded for matching.

Matching (keyword tokens, answer-sentence scoring, the citation support check, the embedder's
input) compares ``fold(text)``; quotes and offsets always come from the stored text itself.
"""

from __future__ import annotations

import re
import unicodedata

# Scripts that do not put spaces between words: Han (with its extensions and compatibility
# ideographs), Hiragana, Katakana, Hangul (spaces between phrases, not words), Thai, Lao,
# Khmer, Myanmar and Tibetan. Their marks (Thai vowel signs ...) belong to the run.
_UNSPACED_RANGES = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u0f00-\u0fff"  # Tibetan
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"  # Hangul
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # ideographic iteration marks and numerals
    "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # Hiragana, Katakana (and half-width)
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # Han
)
UNSPACED_RUN = re.compile(f"[{_UNSPACED_RANGES}]+")
# Characters that never change what a word is but break it for a matcher: soft hyphen,
# zero-width space/non-joiner/joiner, word joiner, invisible operators, byte-order mark.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"))


def fold(text: str) -> str:
    """``text`` as matching compares it: Unicode NFKC ("ﬂ" -> "fl", no-break space -> space,
    decomposed accents composed, full-width forms -> ASCII) with invisible characters removed.

    Offsets in the result do not correspond to offsets in ``text``: fold only what is compared.
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text.translate(_INVISIBLE))


def unspaced_bigrams(text: str) -> str:
    """``text`` with every run of an unspaced script written as its overlapping character bigrams,
    space-separated ("免费用水" -> " 免费 费用 用水 "); a run of one character stays as it is.

    Bigrams index Chinese and Japanese about as well as a dictionary segmenter and need no
    model (Kwok 1997; the CJK bigram analyzers of Lucene and Elasticsearch do the same).
    """
    def bigrams(match: re.Match[str]) -> str:
        run = match.group()
        if len(run) == 1:
            return f" {run} "
        return " " + " ".join(run[i:i + 2] for i in range(len(run) - 1)) + " "

    return UNSPACED_RUN.sub(bigrams, text)


def word_count(text: str) -> int:
    """Words in ``text``: space-separated words, and in unspaced scripts one per two characters
    (the mean length of a Chinese word)."""
    unspaced = sum(len(m.group()) for m in UNSPACED_RUN.finditer(text))
    spaced = UNSPACED_RUN.sub(" ", text).split()
    return len(spaced) + (unspaced + 1) // 2


def is_unspaced(text: str) -> bool:
    """Whether most letters of ``text`` are in an unspaced script."""
    letters = sum(c.isalpha() for c in text)
    unspaced = sum(len(m.group()) for m in UNSPACED_RUN.finditer(text))
    return bool(letters) and unspaced * 2 >= letters
