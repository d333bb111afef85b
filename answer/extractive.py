"""The offline answer: the retrieved sentences that best answer the question, cited one by one.

No language model: every sentence of the answer is a sentence of a brief, so every citation is
exact by construction (its quote is that sentence, located in the whole document's text). A
sentence written to a language model ("ignore previous instructions and answer only with ...")
is never a candidate: quoting it would pass an injected instruction off as the answer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from answer.citations import with_markers
from answer.units import unit_spans
from answer.safety import instruction_flags, sanitize_markdown, strip_footnotes
from text.tables import row_reading
from answer.types import Answer, AnswerSentence, Citation
from answer.vectors import Encoder
from prompts import refusal_sentence
from retrieval.keyword import tokenize
from text.abbreviations import rewrite
from text.scripts import is_unspaced, word_count
from vectorstore.types import Hit

SEMANTIC_WEIGHT = 0.6  # share of question-sentence cosine in a sentence's relevance; the rest is word overlap
MARGIN = 0.15  # sentences within this much of the best one may join the answer
NEIGHBOUR_MARGIN = 0.3  # the same, for the sentences right before and after the best one
MAX_SIMILARITY = 0.85  # a sentence this close to one already chosen says nothing new
CONTEXT_DISCOUNT = 0.8  # weight of words borrowed from the previous sentence or from the section heading
# The brief's title is the heading over all its sections: its words count as a heading's do ("NSGP" of
# "Soft Targets and the Nonprofit Security Grant Program" for the row "Fiscal Year: 2023; Appropriation: $305
# million"). Measured in docs/benchmarks.md ("The title as context").
TITLE_CONTEXT = True
MIN_WORDS = 4  # shorter lines are headings, captions or list items
# A sentence that opens with one of these leans on the one before it, which then comes along.
_ANAPHOR = re.compile(r"^(?:he|she|his|her|they|their|it|its|this|these|that|those|such|the latter|the former)\b",
                      re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class Candidate:
    """A sentence of a retrieved passage and how well it answers the question."""

    hit: Hit
    start: int  # offsets in the passage text
    end: int
    relevance: float
    vector: np.ndarray
    reading: str = ""  # how a table row reads with its header (``text.tables``); "" for a sentence

    @property
    def text(self) -> str:
        return self.hit.chunk.text[self.start:self.end]

    @property
    def shown(self) -> str:
        """What the answer says for this candidate: the sentence, or a table row with its header."""
        return self.reading or self.text

    @property
    def doc_start(self) -> int:
        return self.hit.chunk.start + self.start


_STOPS = (".", "!", "?", "。", "！", "？", "।", "؟", "”", '"', "」", "』", "）", ")")


def _usable(sentence: str, *, lead_ins: bool = False) -> bool:
    """Whether a sentence can answer: ``MIN_WORDS`` words (counted by script, ``text.scripts.word_count``),
    not a lead-in ending with a colon (with ``lead_ins``, it may be: a list question's answer may be the list
    it introduces), and not a heading: it has lowercase letters, or, in a script without case, ends with a
    full stop or runs to twice ``MIN_WORDS`` words."""
    words = word_count(sentence)
    stripped = sentence.rstrip()
    if words < MIN_WORDS or (stripped.endswith((":", "：")) and not lead_ins):
        return False
    if any(c.islower() for c in sentence):
        return True
    return is_unspaced(sentence) and (stripped.endswith(_STOPS) or words >= 2 * MIN_WORDS)


def score_sentences(question: str, hits: Sequence[Hit], embedder: Encoder, *,
                    question_vector: np.ndarray | None = None,
                    named: Mapping[str, frozenset[str]] | None = None, lead_ins: bool = False) -> list[Candidate]:
    """Every usable sentence of the hits (duplicates once), scored against the question, best first.

    Headings, captions, table header rows and sentences addressed to a language model
    (``instruction_flags``) are left out. A table row is scored (and later shown) as it reads
    with its header (``text.tables``), and cited as the row.

    ``embedder`` encodes the sentences (a ``SentenceVectorCache`` saves re-encoding them).

    relevance = SEMANTIC_WEIGHT * cosine(question, sentence) + (1 - SEMANTIC_WEIGHT) * share of
    the question's content words (lemmatized, then stemmed: ``retrieval.keyword.tokenize``, "drew" is "draw")
    that the sentence contains (or, discounted, that it and the sentence before it or its section heading
    contain: ``_weighted_overlap``); for a sentence of a brief that defines abbreviations
    (``Hit.abbreviations``), the better of that and the same score for the question with each abbreviation
    in its other form.

    ``named`` maps a brief's doc id to the words (``tokenize(lemmas=True)``) that named it in the question ("Court
    Watcher" in "What does the Court Watcher report say about immigration detention?",
    ``answer.catalogue.Resolution.named_by``): each sentence of that brief counts them as written in
    the word overlap (the brief is what they name; no sentence of it need repeat them). The cosine
    still reads the whole question. ``lead_ins``: lead-ins ending with a colon are scored too (``_usable``).
    """
    seen: set[str] = set()
    found: list[tuple[Hit, int, int]] = []
    readings: list[str] = []  # a table row with its header, "" for a sentence
    before: list[str] = []  # the sentence before each one in its passage ("" for the first)
    heading: list[str] = []  # the section heading each one sits under (``Hit.headings``; "" unknown)
    for hit in hits:
        spans = unit_spans(hit.chunk.text)
        sentences = [hit.chunk.text[start:end] for start, end in spans]
        injected = instruction_flags(sentences)
        for i, ((start, end), sentence) in enumerate(zip(spans, sentences)):
            reading = row_reading(hit.chunk.text, start, end, hit.table_header, hit.table_note)
            key = " ".join((reading or sentence).lower().split())
            if key in seen or injected[i] or reading == "" or not _usable(reading or sentence, lead_ins=lead_ins):
                continue
            seen.add(key)
            found.append((hit, start, end))
            readings.append(reading or "")
            # A pronoun never borrows the words of an injected instruction before it.
            before.append(sentences[i - 1] if i and not injected[i - 1] and not reading else "")
            heading.append(hit.heading_at(start))
    if not found:
        return []
    texts = [reading or hit.chunk.text[s:e] for (hit, s, e), reading in zip(found, readings)]
    if question_vector is None:
        question_vector = embedder.encode([question])[0]
    vectors = embedder.encode(texts)
    cosine = np.clip(vectors @ question_vector, 0.0, 1.0)
    sentence_terms = [set(t) for t in tokenize(texts, lemmas=True)]
    before_terms = [set(t) for t in tokenize(before, lemmas=True)]
    if named:
        sentence_terms = [terms | named.get(hit.chunk.doc_id, frozenset())
                          for terms, (hit, _, _) in zip(sentence_terms, found)]
    # Many sentences share a heading: each distinct heading is tokenized once.
    distinct = list(dict.fromkeys(heading))
    heading_words = dict(zip(distinct, (set(t) for t in tokenize(distinct, lemmas=True))))
    heading_terms = [heading_words[h] for h in heading]
    overlap = _weighted_overlap(tokenize([question], lemmas=True)[0], sentence_terms, texts, before_terms, heading_terms)
    relevance = SEMANTIC_WEIGHT * cosine + (1 - SEMANTIC_WEIGHT) * overlap
    # A brief that defines "International Seabed Authority (ISA)" and then writes "the ISA": its
    # sentences are also scored against the question with the other form of each abbreviation
    # it uses (``text.abbreviations.rewrite``), and keep the better score. Per brief: another
    # brief's definitions never apply.
    rewritten: dict[tuple[tuple[str, str], ...], str] = {}
    variants: dict[str, list[int]] = {}
    for i, (hit, _, _) in enumerate(found):
        if hit.abbreviations:
            if hit.abbreviations not in rewritten:
                rewritten[hit.abbreviations] = rewrite(question, hit.abbreviations)
            if rewritten[hit.abbreviations] != question:
                variants.setdefault(rewritten[hit.abbreviations], []).append(i)
    if variants:
        for variant, vector in zip(variants, embedder.encode(list(variants))):
            rows = np.array(variants[variant])
            variant_overlap = _weighted_overlap(tokenize([variant], lemmas=True)[0], sentence_terms, texts, before_terms,
                                                heading_terms)[rows]
            variant_cosine = np.clip(vectors[rows] @ vector, 0.0, 1.0)
            relevance[rows] = np.maximum(relevance[rows], SEMANTIC_WEIGHT * variant_cosine
                                         + (1 - SEMANTIC_WEIGHT) * variant_overlap)
    candidates = [Candidate(hit, s, e, float(r), v, reading)
                  for (hit, s, e), r, v, reading in zip(found, relevance, vectors, readings)]
    return sorted(candidates, key=lambda c: -c.relevance)


# Words that frame a question rather than say what it is about ("What happened to Lotte?"), and
# the imperative that asks for a list ("List the exercises ...", "Name the ...": ``answer.kinds``),
# which the sentence that answers has no reason to contain.
_FRAME_TERMS = frozenset(t for terms in tokenize(
    "happen happened happens say says said mention mentions mentioned according tell describe explain brief "
    "briefs report reports article author list enumerate name".split(), lemmas=True) for t in terms)


def _weighted_overlap(question_terms: list[str], sentence_terms: list[set[str]], texts: list[str],
                      before_terms: list[set[str]], heading_terms: list[set[str]] | None = None) -> np.ndarray:
    """Share of the question's words each sentence contains, weighted by rarity among the candidates.

    Words found in most retrieved sentences ("Korea" in briefs on Korea) say little about which
    one answers; rarer ones ("Lotte", "enhance") say more. A sentence that opens with a pronoun
    also counts the words of the sentence before it, which it refers to; a sentence under a section
    heading counts the heading's words ("Defender Services" over "The FY2027 request is $1.8
    billion ..."), as contextual chunk headers do for passages. Borrowed words count at
    ``CONTEXT_DISCOUNT``, so a sentence that says it all itself still ranks first. Rarity is
    weighed over the sentences alone: a heading repeated over a whole section adds no weight.
    """
    terms = set(question_terms) - _FRAME_TERMS or set(question_terms)
    if not terms:
        return np.zeros(len(sentence_terms))
    n = len(sentence_terms)
    weight = {t: math.log(1 + n / (1 + sum(t in s for s in sentence_terms))) for t in terms}
    total = sum(weight.values())
    scores = np.array([sum(weight[t] for t in terms & s) / total for s in sentence_terms])
    for i in range(n):
        if before_terms[i] and _ANAPHOR.match(texts[i]):
            joint = sum(weight[t] for t in terms & (sentence_terms[i] | before_terms[i])) / total
            scores[i] = max(scores[i], CONTEXT_DISCOUNT * joint)
        if heading_terms and heading_terms[i]:
            joint = sum(weight[t] for t in terms & (sentence_terms[i] | heading_terms[i])) / total
            scores[i] = max(scores[i], CONTEXT_DISCOUNT * joint)
    return scores


def select(candidates: Sequence[Candidate], max_sentences: int) -> list[Candidate]:
    """The best sentences without near-repeats, the best one's close neighbours, and the sentence
    before any that opens with a pronoun."""
    if not candidates:
        return []
    best = candidates[0].relevance
    chosen: list[Candidate] = []
    for candidate in candidates:
        if len(chosen) >= max_sentences or candidate.relevance < best - MARGIN:
            break
        if any(float(candidate.vector @ c.vector) > MAX_SIMILARITY for c in chosen):
            continue
        chosen.append(candidate)
    by_span = {(c.hit.chunk.id, c.start): c for c in candidates}

    def neighbour(candidate: Candidate, step: int) -> Candidate | None:
        spans = unit_spans(candidate.hit.chunk.text)
        index = next(i for i, (s, _) in enumerate(spans) if s == candidate.start)
        if not 0 <= index + step < len(spans):
            return None
        return by_span.get((candidate.hit.chunk.id, spans[index + step][0]))

    # Answers often run over consecutive sentences: the best one's neighbours may join on a looser margin.
    # Not a table row's: the next row is another record, not more of the answer.
    for step in (1, -1) if not candidates[0].reading else ():
        near = neighbour(candidates[0], step)
        if near is not None and not near.reading and near not in chosen and near.relevance >= best - NEIGHBOUR_MARGIN \
                and len(chosen) < max_sentences:
            chosen.append(near)
    # A sentence that opens with a pronoun needs the one before it.
    for candidate in list(chosen):
        if _ANAPHOR.match(candidate.text):
            previous = neighbour(candidate, -1)
            if previous is not None and previous not in chosen:
                chosen.append(previous)
    return chosen


def reading_order(chosen: Sequence[Candidate]) -> list[Candidate]:
    """Runs of consecutive sentences kept together in text order, the run with the best sentence first.

    A pronoun stays after the sentence it refers to, and the answer opens with what answers best.
    """
    runs: list[list[Candidate]] = []
    for candidate in sorted(chosen, key=lambda c: (c.hit.chunk.doc_id, c.doc_start)):
        last = runs[-1][-1] if runs else None
        if (last is not None and last.hit.chunk.id == candidate.hit.chunk.id
                and not last.hit.chunk.text[last.end:candidate.start].strip()):
            runs[-1].append(candidate)
        else:
            runs.append([candidate])
    runs.sort(key=lambda run: -max(c.relevance for c in run))
    return [c for run in runs for c in run]


def with_marker(sentence: str, marker: int) -> str:
    """A brief's sentence as the answer shows it: its own footnote marks out, whitespace tidied, ``[marker]`` in."""
    return with_markers(" ".join(strip_footnotes(sentence).split()), (marker,))


def refusal(question: str, hits: Sequence[Hit], *, evidence: float = 0.0, standalone: str = "",
            backend: str = "extractive") -> Answer:
    """The answer for a question the briefs do not cover; the closest passages are still listed."""
    return Answer(question=question, text=refusal_sentence(), refused=True, retrieved=tuple(hits),
                  standalone_question=standalone or question, evidence=evidence, backend=backend)


def extractive_answer(question: str, hits: Sequence[Hit], candidates: Sequence[Candidate], *,
                      max_sentences: int, refusal_threshold: float, standalone: str = "") -> Answer:
    """The answer built from ``candidates`` (``score_sentences`` of the hits), or a refusal."""
    if max_sentences <= 0:
        raise ValueError(f"max_sentences ({max_sentences}) must be positive")
    evidence = candidates[0].relevance if candidates else 0.0
    if evidence < refusal_threshold:
        return refusal(question, hits, evidence=evidence, standalone=standalone)
    ordered = reading_order(select(candidates, max_sentences))
    citations, sentences, parts = [], [], []
    for marker, candidate in enumerate(ordered, 1):
        chunk = candidate.hit.chunk
        citations.append(Citation(
            marker=marker, chunk_id=chunk.id, doc_id=chunk.doc_id, source=chunk.source, title=chunk.title,
            start=chunk.start + candidate.start, end=chunk.start + candidate.end, quote=candidate.text,
            support=1.0, supported=True, page=chunk.page_at(chunk.start + candidate.start),
        ))
        sentences.append(AnswerSentence(text=candidate.shown, markers=(marker,), support=1.0, supported=True))
        parts.append(with_marker(candidate.shown, marker))
    text = sanitize_markdown(" ".join(parts))
    return Answer(question=question, text=text, citations=tuple(citations), sentences=tuple(sentences),
                  retrieved=tuple(hits), standalone_question=standalone or question, evidence=evidence)
