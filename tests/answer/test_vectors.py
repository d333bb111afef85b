import numpy as np
import pytest

from answer.vectors import SentenceVectorCache


class CountingEmbedder:
    dimension = 4

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return np.array([[len(t), 1.0, 0.0, 0.0] for t in texts], dtype=np.float32)


def test_each_text_is_encoded_once_and_order_is_kept():
    inner = CountingEmbedder()
    cache = SentenceVectorCache(inner)
    first = cache.encode(["aa", "b", "aa"])
    second = cache.encode(["b", "ccc"])
    assert inner.seen == ["aa", "b", "ccc"]
    assert first[:, 0].tolist() == [2, 1, 2] and second[:, 0].tolist() == [1, 3]
    assert cache.encode([]).shape == (0, 4)


def test_least_recently_used_texts_are_evicted():
    inner = CountingEmbedder()
    cache = SentenceVectorCache(inner, max_items=2)
    cache.encode(["a", "b"])
    cache.encode(["a"])
    cache.encode(["c"])  # evicts "b", the least recently used
    cache.encode(["a", "b"])
    assert inner.seen == ["a", "b", "c", "b"] and len(cache) == 2


def test_size_must_be_positive():
    with pytest.raises(ValueError, match=r"max_items \(0\)"):
        SentenceVectorCache(CountingEmbedder(), max_items=0)
