"""Concurrency: eight sessions asking at once through the app's shared system.

``app.py`` caches one ``system.System`` per settings with ``st.cache_resource`` and every
browser session's thread uses it: the embedder, the Chroma client, the BM25 index and the
assistant. Eight threads released together, half of them streaming as the chat does, must get
exactly the answers that the same questions get one at a time, and no errors.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from answer.types import Answer
from settings import Settings

pytestmark = pytest.mark.slow

QUESTIONS = [
    "How many missiles has Kim launched since he came to power?",
    "Who is Elbridge Colby?",
    "What did Trump discuss with Abe and Xi Jinping?",
    "Why do allies doubt U.S. extended deterrence?",
    "What civil defence drills are being planned in Japan?",
    "How did South Korea respond to the THAAD deployment?",
    "What is the trilateral response to North Korea?",
    "What did the Chinese government do about South Korean businesses?",
]
THREADS = 8
ROUNDS = 3


def fingerprint(answer: Answer) -> tuple:
    """Everything a reader sees of an answer: text, each citation's exact span, the passages listed."""
    return (answer.text, answer.refused, tuple((c.marker, c.chunk_id, c.start, c.end, c.quote, c.supported)
                                                for c in answer.citations),
            tuple((h.chunk.id, h.rank) for h in answer.retrieved))


def _streamed(system, question: str) -> Answer:
    """As the chat page does it: pieces first, then the Answer."""
    final = None
    for item in system.current().assistant.stream(question):
        if isinstance(item, Answer):
            final = item
    assert final is not None
    return final


def test_eight_threads_asking_at_once_through_the_shared_resources_get_the_answers_asked_one_at_a_time(
        sample_store, embedder, tmp_path):
    from system import System

    path = sample_store.client.get_settings().persist_directory
    system = System(Settings(store={"path": path}, data_dir=tmp_path / "data"), embedder=embedder)
    expected = {q: fingerprint(system.current().assistant.ask(q)) for q in QUESTIONS}
    assert sum(1 for f in expected.values() if not f[1]) >= 6, "most questions should be answered, not refused"

    start = threading.Barrier(THREADS)

    def session(n: int) -> list[tuple[str, tuple]]:
        start.wait()
        seen = []
        for round_ in range(ROUNDS):
            question = QUESTIONS[(n + round_) % len(QUESTIONS)]  # different questions at the same moment
            system.describe()  # the sidebar reads the index too
            answer = _streamed(system, question) if n % 2 else system.current().assistant.ask(question)
            seen.append((question, fingerprint(answer)))
        return seen

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [future.result(timeout=600) for future in [pool.submit(session, n) for n in range(THREADS)]]
    got = [pair for seen in results for pair in seen]
    assert len(got) == THREADS * ROUNDS
    differing = [question for question, print_ in got if print_ != expected[question]]
    assert differing == [], f"{len(differing)} concurrent answers differ from the sequential ones: {differing[:3]}"
