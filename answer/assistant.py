"""The entry point the UI, the CLI and the evaluator call: question + history + filters -> Answer."""

from __future__ import annotations

import logging
import re
from typing import Iterator, Sequence

from langchain_core.language_models import BaseChatModel

import dataclasses
import threading

from answer.answerability import AnswerabilityModel, MODEL_PATH, answerability_features
from answer.catalogue import among_them, chosen_from, counted_back, related_briefs, resolve_briefs
from answer.catalogue_answers import asked_end, catalogue_answer, is_about
from answer.citations import SupportScorer, quote_spans
from answer.compose import (candidates_answer, candidates_for, evidence, fact_answer, helpful_refusal, list_answer,
                            weigh_asked)
from answer.coverage import absent_names, asked_names, folded, of_briefs_naming
from answer.extractive import Candidate
from answer.keypoints import load_model
from answer.compose_kinds import comparison_answer, recommendations_answer, summary_answer, timeline_answer
from answer.condense import is_elliptic, merge_elliptic, standalone_question, stays_on_briefs
from answer.focus import question_focus
from answer.kinds import classify
from answer.llm import LLMAnswerer, failed_wholesale
from answer.plans import Plan, Planner, aspect_of
from answer.ranking import asked_ranking, ranked_first
from answer.units import unit_spans
from answer.safety import instruction_flags
from answer.types import Answer, FlaggedSentence, GenerationReport, Turn
from answer.vectors import SentenceVectorCache
from prompts import load_prompt
from retrieval.query import asks_its_own, is_follow_up, question_clauses, split_carried
from retrieval.filters import Filters
from retrieval.hybrid import HybridRetriever
from retrieval.keyword import tokenize
from settings import AnswerSettings
from vectorstore.embedder import TextEmbedder
from vectorstore.types import Hit

log = logging.getLogger(__name__)

# A question that asks something itself: a wh-word not followed by "about" / "else" ("What about the 2017
# brief?" asks nothing of its own), or an auxiliary opening a yes/no question. A heuristic.
def _kind(question: str, standalone: str, history: Sequence[Turn], *, follow_up: bool) -> str:
    """The kind of a question (``answer.kinds.classify``). A follow-up (not an elliptic one, whose merged
    form carries the last question's words) has the kind its own words give when they name one or ask
    a whole question ("Who leads the government there?" after a recommendations question is a fact
    question); one that asks nothing of its own ("What about the Australia report?") has the last
    question's kind. A pick of the newest or oldest among the briefs a catalogue answer gave ("Which of them
    is the most recent?" after "Which reports did Andrew Feickert write?") is a catalogue question, asked
    of those briefs (``answer.catalogue.among_them``); after another kind, "them" may be anything the answer
    named ("Which of them is the oldest?" after a list of programs), and the question stays a fact."""
    if history and among_them(question) and asked_end(question) and classify(question) == "fact" \
            and classify(history[-1].standalone or history[-1].question) == "catalogue":
        return "catalogue"  # "Which one is the newest?" names nothing to be a follow-up by, yet picks among them
    if not follow_up or not history:
        return classify(standalone)
    own = classify(question)
    if own != "fact" or _ASKS_ITSELF.match(question):
        return own
    return classify(history[-1].standalone or history[-1].question)


_ASKS_ITSELF = re.compile(r"^\s*(?:(?:who|what|when|where|which|why|how)(?!\s+(?:about|else)\b)|"
                          r"does|do|did|is|are|was|were|can|could|will|would|has|have|had|should)\b\s+\w", re.IGNORECASE)


class Assistant:
    """Retrieves passages for a question and answers from them, extractively or with a chat model.

    Holds the retriever, the embedder and (for the LLM backend) the chat model; it keeps no
    conversation state, so one instance can serve every session: pass the history in.
    """

    def __init__(self, retriever: HybridRetriever, embedder: TextEmbedder, settings: AnswerSettings, *,
                 chat_model: BaseChatModel | None = None) -> None:
        if settings.backend == "llm" and chat_model is None:
            raise ValueError("the 'llm' answer backend needs a chat model (System builds it from the settings)")
        self.retriever, self.embedder, self.settings = retriever, embedder, settings
        self.sentence_vectors = SentenceVectorCache(embedder)
        self.summary_scorer = load_model() if settings.summary_scorer == "learned" else None
        self.scorer = SupportScorer(embedder, span_encoder=self.sentence_vectors)
        self.chat_model = chat_model if settings.backend == "llm" else None
        self.llm = (LLMAnswerer(self.chat_model, self.scorer, support_threshold=settings.support_threshold,
                                settings=settings) if self.chat_model is not None else None)
        self.planner = Planner(retriever, is_about=self.brief_is_about)
        self._overviews: dict[str, Answer] = {}  # doc_id (content hash) -> overview
        self._overview_lock = threading.Lock()
        self._brief_terms: dict[str, frozenset[str]] = {}  # doc_id (content hash) -> stemmed terms
        self._brief_text: dict[str, str] = {}  # doc_id (content hash) -> title and passages, folded
        self.answerability = (AnswerabilityModel.load(settings.answerability_model or MODEL_PATH)
                              if settings.answerability else None)

    def warm_up(self, *, max_passages: int = 2000) -> int:
        """Build the keyword index and encode the sentences of the first ``max_passages`` passages.

        Optional: answers are the same without it, only the first questions are slower. Returns
        the number of sentences encoded.
        """
        index = self.retriever.keyword_index()
        sentences = [c.text[s:e] for c in index.chunks[:max_passages] for s, e in unit_spans(c.text)]
        self.embedder.encode(["warm-up"])
        tokenize(["warm-up"], lemmas=True)  # loads the lemma dictionary of the word overlap (about a second)
        self.sentence_vectors.encode(sentences)
        return len(sentences)

    def brief_terms(self, doc_id: str) -> frozenset[str]:
        """The stemmed terms of a stored brief (title and every passage), for the question-coverage
        check; cached per content hash (``doc_id``)."""
        with self._overview_lock:
            cached = self._brief_terms.get(doc_id)
        if cached is not None:
            return cached
        hits = self.planner.whole_brief(doc_id)
        texts = [hits[0].chunk.title] + [h.chunk.text for h in hits] if hits else []
        terms = frozenset(t for tokens in tokenize(texts) for t in tokens)
        with self._overview_lock:
            self._brief_terms[doc_id] = terms
        return terms

    def folded_brief(self, doc_id: str) -> str:
        """A stored brief's title and passages as ``answer.coverage.absent_names`` reads them (``folded``),
        cached per content hash (``doc_id``)."""
        with self._overview_lock:
            cached = self._brief_text.get(doc_id)
        if cached is not None:
            return cached
        hits = self.planner.whole_brief(doc_id)
        text = folded("\n".join([hits[0].chunk.title] + [h.chunk.text for h in hits]) if hits else "")
        with self._overview_lock:
            self._brief_text[doc_id] = text
        return text

    def standalone(self, question: str, history: Sequence[Turn] = ()) -> str:
        """The question made self-contained from the conversation (unchanged without history)."""
        return self._standalone(question, history)[0]

    def _standalone(self, question: str, history: Sequence[Turn],
                    previous: Sequence[str] | None = None) -> tuple[str, bool, bool]:
        """(standalone question, whether it is a follow-up, whether it varies the last question elliptically).
        ``previous``: the doc ids the last turn read (``_previous_briefs`` without filters when None); a
        follow-up kept on them (``_stays``, by its own kind) is condensed with the last turn's topic."""
        question = question.strip()
        if not history:
            return question, False, False
        last = history[-1]
        if self.chat_model is None and is_elliptic(question):
            return merge_elliptic(question, last.standalone or last.question), True, True
        titles = {b.doc_id: b.title for b in self.planner.catalogue().briefs if b.title}
        previous = self._previous_briefs(history, None, question) if previous is None else previous
        stays = self._stays(question, classify(question), previous)
        standalone = standalone_question(question, history, model=self.chat_model, titles=titles, stays=stays)
        return standalone, is_follow_up(question), False

    def ask(self, question: str, *, history: Sequence[Turn] = (), filters: Filters | None = None,
            k: int | None = None, kind: str | None = None) -> Answer:
        """The answer to ``question``; with the LLM backend, the model's streamed text is collected."""
        for item in self.stream(question, history=history, filters=filters, k=k, kind=kind):
            if isinstance(item, Answer):
                return item
        raise RuntimeError("the answer stream ended without an Answer")  # not reachable

    def overview(self, doc_id: str) -> Answer:
        """The summary of one brief ("what is in this brief"), cached per content hash.

        ``doc_id`` is the brief's content hash, or its file name as stored. Raises ``ValueError``
        naming the value when no stored brief matches. Always the extractive summary engine (the
        same as for "Summarize ..." questions), so it costs no model call.
        """
        catalogue = self.planner.catalogue()
        brief = catalogue.get(doc_id) or next((b for b in catalogue.briefs if b.source == doc_id), None)
        if brief is None:
            raise ValueError(f"no stored brief has the id or file name {doc_id!r}")
        with self._overview_lock:
            cached = self._overviews.get(brief.doc_id)
        if cached is not None:
            return cached
        question = f"Summarize {brief.title or brief.source}"
        plan = Plan(kind="summary", question=question, shape="bullets", briefs=(brief,), whole_brief=True,
                    passages=((brief.doc_id, self.planner.whole_brief(brief.doc_id)),), catalogue=catalogue)
        answer = summary_answer(plan, question, self.sentence_vectors, document_text=self.retriever.store.document_text,
                                scorer=self.summary_scorer)
        with self._overview_lock:
            self._overviews[brief.doc_id] = answer
        return answer

    def stream(self, question: str, *, history: Sequence[Turn] = (), filters: Filters | None = None,
               k: int | None = None, kind: str | None = None) -> Iterator[str | Answer]:
        """Text pieces of the answer as they are ready, then the final Answer (see ``_stream``), which
        lists the sentences of the retrieved passages set aside as instructions to a model."""
        for item in self._stream(question, history=history, filters=filters, k=k, kind=kind):
            yield dataclasses.replace(item, flagged=flagged_sentences(item.retrieved)) if isinstance(item, Answer) else item

    def _stream(self, question: str, *, history: Sequence[Turn] = (), filters: Filters | None = None,
                k: int | None = None, kind: str | None = None) -> Iterator[str | Answer]:
        """Text pieces of the answer as they are ready, then the final, checked Answer.

        The question is made standalone, its kind recognised (``answer.kinds``), the briefs it
        names resolved and a ``Plan`` built (``answer.plans``); the extractive composer answers
        in the kind's shape. With the LLM backend the model gets the plan's passages that the
        composer chose and the shape to write; its citations are checked as always. The pieces
        are cleaned as they come; show the final ``Answer.text`` in their place once it arrives.
        Weak evidence yields the refusal without asking the chat model anything. ``kind``, when given,
        overrides the recognised question kind (e.g. "fact", "summary").
        """
        if not question.strip():
            raise ValueError("the question is empty")
        chosen = self._chosen(question, history, filters)
        previous = self._previous_briefs(history, filters, question)
        if chosen:  # a reply picking among the briefs the last turn offered: that turn's question, of them
            last = history[-1]
            standalone, follow_up, elliptic = last.standalone or last.question, False, False
        else:
            standalone, follow_up, elliptic = self._standalone(question, history, previous)
        focus = question_focus(standalone, count_tokens=self.embedder.count_tokens, max_tokens=self.embedder.max_tokens)
        if focus.notice:
            log.info("long question: searched its asking part %r", focus.text)
        standalone = focus.text
        kind = kind or _kind(question, standalone, history, follow_up=follow_up and not elliptic)
        k = self.retriever.settings.k if k is None else k
        vector = self.embedder.encode([standalone])[0]
        pinned = elliptic or (not chosen and self._stays(question, kind, previous))
        plan = self.planner.plan(standalone, kind, k=k, filters=filters, previous=previous, follow_up=follow_up,
                                 pinned=pinned, vector=vector, chosen=chosen)
        composed = self._compose(plan, question, vector)
        if pinned and not elliptic and composed.refused and plan.resolution.how == "conversation":
            plan, composed = self._beyond_conversation(plan, composed, question, vector, k=k, filters=filters,
                                                       previous=previous, follow_up=follow_up)
        answer = dataclasses.replace(composed, notice=focus.notice)
        if self.llm is not None:
            answer = dataclasses.replace(answer, backend="llm")
        log.debug("question %r (%s) -> %d passages, evidence %.3f", standalone, kind, len(plan.hits), answer.evidence)
        if self.llm is None or answer.refused or answer.candidates or kind == "catalogue":
            yield answer.text  # built at once: nothing to gain from streaming it in pieces
            yield answer
            return
        yield from self._llm_stream(plan, question, answer)

    def _chosen(self, question: str, history: Sequence[Turn], filters: Filters | None) -> tuple[str, ...]:
        """The doc ids ``question`` picks among the briefs the last turn offered to choose from (``Turn.offered``,
        ``answer.catalogue.chosen_from``), or ``()`` when it is no such reply."""
        if not history or not history[-1].offered:
            return ()
        catalogue = self.planner.catalogue(filters)
        offered = [b for b in (catalogue.get(d) for d in history[-1].offered) if b is not None]
        return tuple(b.doc_id for b in chosen_from(question, offered))

    def _previous_briefs(self, history: Sequence[Turn], filters: Filters | None, question: str = "") -> tuple[str, ...]:
        """The doc ids the last turn read (``_read_by``); after a refusal of a search over the collection
        (``Turn.asked`` False), those of the latest turn before it that read any, else its nearby briefs ("Who wrote
        this report?" after a follow-up that found nothing asks of the report the conversation was on, not of the
        briefs of unrelated nearby passages). When ``question`` refers back to more briefs by number
        than that turn read ("Who wrote these two briefs?" after a turn on one of the two the conversation
        read: ``answer.catalogue.counted_back``), the briefs of the turns before are added, latest first, each
        turn's only while they all fit the number (a turn over more briefs than fit leaves the choice open:
        the planner asks which are meant). A heuristic: the number is the only cue to how far back to go."""
        if not history:
            return ()
        read = self._read_by(history[-1], filters)
        if not history[-1].asked:  # a refusal's nearby briefs: the briefs of the latest turn that read any, else them
            read = next((r for turn in reversed(history[:-1]) if (r := self._read_by(turn, filters))), read)
        wanted = counted_back(question) if question else 0
        for turn in reversed(history[:-1]):
            if len(read) >= wanted:
                break
            more = tuple(d for d in self._read_by(turn, filters) if d not in read)
            if len(read) + len(more) > wanted:
                break
            read += more
        return read

    def _read_by(self, turn: Turn, filters: Filters | None) -> tuple[str, ...]:
        """The doc ids ``turn`` read: as recorded, else the briefs its question named (a history given as
        text, as in a question file)."""
        if turn.briefs:
            return turn.briefs
        resolution = resolve_briefs(turn.standalone or turn.question, self.planner.catalogue(filters))
        return tuple(b.doc_id for b in resolution.briefs)

    def _stays(self, question: str, kind: str, previous: Sequence[str]) -> bool:
        """Whether a follow-up of a given kind is asked of the briefs the last turn read (``previous``, doc ids)
        when it names none itself (``answer.condense.stays_on_briefs``; the planner keeps it on them only
        then). A comparison or catalogue question picks its briefs by its own rules; so does a recommendations
        question, whose briefs the planner reads whole for their advice when it names them, and whose advice on a
        subject it searches the collection for when it names none (pinned to the last turn's brief, a trial's
        "What do proposals in Congress say about extending it?" lost the bill it had been answered with: a
        bill's "would reauthorize" is no prescription, so the brief's own advice never held it)."""
        if not previous or kind in ("comparison", "catalogue", "recommendations"):
            return False
        catalogue = self.planner.catalogue()
        titles = [b.title for b in (catalogue.get(d) for d in previous) if b is not None]
        return stays_on_briefs(question, frozenset().union(*(self.brief_terms(d) for d in previous)), titles)

    def _beyond_conversation(self, plan: Plan, refusal: Answer, question: str, vector, *, k: int,
                             filters: Filters | None, previous: Sequence[str], follow_up: bool) -> tuple[Plan, Answer]:
        """A follow-up the conversation's briefs did not answer (``refusal``, over ``plan``), asked of the whole
        collection: its answer is kept when every brief it cites is one of those briefs or related to one
        (another version, or a title sharing a topic word: ``answer.catalogue.related_briefs``), so the
        seabed-mining report's follow-up may be answered from the seabed-mining Insight; else the refusal
        stands, never an answer from an unrelated brief sharing the follow-up's generic words ("What changed
        in April 2026?" after the copper tariffs is not answered from the Iran ceasefire brief).

        Returns (plan, answer): the wider ones when kept, else ``plan`` and ``refusal`` as given. Monotone: each
        of the two answers is decided by the unchanged refusal rule over its own passages and either one
        answering answers the follow-up, so more evidence never turns an answer into a refusal. Elliptic
        fragments ("In 2022?") are not widened: they vary the last question of its briefs.
        """
        wider = self.planner.plan(plan.question, plan.kind, k=k, filters=filters, previous=previous,
                                  follow_up=follow_up, vector=vector)
        if wider.resolution.briefs or wider.resolution.candidates:
            return plan, refusal  # read the conversation's briefs already: nothing wider to ask
        answer = self._compose(wider, question, vector)
        catalogue = plan.catalogue
        near = set(previous) | {r.doc_id for d in previous if (b := catalogue.get(d)) is not None
                                for r in related_briefs(b, catalogue)}
        if answer.refused or not answer.citations or any(c.doc_id not in near for c in answer.citations):
            return plan, refusal
        return wider, answer

    def brief_is_about(self, subject: str, doc_id: str) -> bool:
        """Whether the brief ``doc_id`` is about ``subject`` enough to be the one a question names by it
        (``answer.catalogue_answers.is_about`` over its whole body): the planner's check for a brief a
        comparison names by its subject ("the LWCF report"), the same a summary's is checked by."""
        return self._about(subject, doc_id, self.planner.whole_brief(doc_id))[0]

    def _about(self, subject: str, doc_id: str, hits: Sequence[Hit]) -> tuple[bool, list[Candidate]]:
        units = candidates_for(subject, hits, self.sentence_vectors)
        return is_about(subject, units, self.retriever.store.document_text(doc_id) or "",
                        refusal_threshold=self.settings.refusal_threshold), units

    def _compose(self, plan: Plan, question: str, vector) -> Answer:
        """The extractive answer for a plan (or the refusal), in the plan's shape."""
        settings, encoder = self.settings, self.sentence_vectors
        threshold = settings.refusal_threshold
        if plan.resolution.ambiguous:
            return candidates_answer(plan, question)
        text_of = self.retriever.store.document_text
        if plan.whole_brief and plan.resolution.how == "topic":  # "the brief on THAAD": is the brief found about it?
            topic = aspect_of(plan.question)
            doc_id, brief_hits = plan.passages[0]
            about, units = self._about(topic, doc_id, brief_hits)
            if not about:
                return helpful_refusal(plan, question, units,
                                       evidence_score=max((u.relevance for u in units[:1]), default=0.0))
        if plan.kind == "summary" and plan.whole_brief:
            return summary_answer(plan, question, encoder, document_text=text_of, scorer=self.summary_scorer)
        if plan.kind == "comparison":
            return comparison_answer(plan, question, encoder, refusal_threshold=threshold, question_vector=vector)
        hits = plan.hits
        exact = plan.kind in ("fact", "list")  # the question as asked; other kinds by what they are about
        query = plan.question if exact else aspect_of(plan.question)
        query_vector = vector if exact else self.embedder.encode([query])[0]
        # the year in "the 2017 brief" names the brief: it is no number the answer must state; nor is a number of
        # the last question carried in brackets ("Where has it been deployed overseas? (How much is the Army
        # requesting for it in FY2027?)" had been refused for want of a deployment sentence stating 2027)
        numbers_from = split_carried(plan.resolution.unnamed(plan.question))[0] if exact else None
        # "the Court Watcher report": its words name the brief, and no sentence of it need repeat them
        named = {b.doc_id: naming_terms for b in plan.resolution.briefs} if exact and settings.named_brief_words and (
            naming_terms := frozenset(
                tokenize([" ".join(plan.question[a:b] for a, b in plan.resolution.named_by)], lemmas=True)[0])) else None
        score = (self._evidence(query, plan.ranking or hits, query_vector, exact, numbers_from, named=named)
                 if not plan.whole_brief else 1.0)
        if self.answerability is not None:
            threshold = self.answerability.threshold  # the score is p(answerable), not relevance
        if plan.kind == "recommendations":
            return recommendations_answer(plan, question, encoder, evidence_score=score, refusal_threshold=threshold,
                                          document_text=text_of)
        if plan.kind == "timeline":
            return timeline_answer(plan, question, encoder, evidence_score=score, refusal_threshold=threshold,
                                   document_text=text_of)
        if plan.kind == "catalogue":
            return catalogue_answer(plan, question, encoder, document_text=self.retriever.store.document_text,
                                    whole_brief=self.planner.whole_brief, evidence_score=score,
                                    refusal_threshold=threshold)
        # what is asked: a follow-up's own question (the last one carried in brackets) or each clause of a fact
        # question that asks two things
        asked, carried = split_carried(plan.question)
        ranking = asked_ranking(asked) if exact else None
        briefs = {h.chunk.doc_id for h in hits}
        if ranking is not None and len(briefs) == 1:
            # "Which account has the biggest percentage increase?" of one brief: the figure ranking first may
            # stand in a passage not retrieved, so the candidates are every sentence of the brief
            hits = self.planner.whole_brief(next(iter(briefs)), annotated=True) or hits
        candidates = candidates_for(query, hits, encoder, question_vector=query_vector, match_numbers=exact,
                                    numbers_from=numbers_from, named=named, lead_ins=plan.kind == "list")
        parts = question_clauses(asked) if plan.kind == "fact" else [asked]
        if exact and (len(parts) > 1 or (carried and asks_its_own(asked))):
            candidates = weigh_asked(candidates, parts, hits, encoder, named=named)
        if ranking is not None:
            candidates = ranked_first(candidates, ranking)
        if exact and settings.absent_names and score >= threshold and (absent := absent_names(
                plan.question, [self.folded_brief(b.doc_id) for b in plan.catalogue.briefs],
                prefolded=True)):
            # "What is the National Park Service budget request?" over briefs that never name the Service:
            # sentences on the Fish and Wildlife Service's budget answer another question.
            return helpful_refusal(plan, question, candidates, evidence_score=score,
                                   reason=f"No brief in the collection mentions “{absent[0]}”.")
        if exact and asked_names(plan.question):
            # "How much funding did the Nonprofit Security Grant Program receive in FY2024 and FY2025?": a sentence of
            # another brief ("Congress reduced the funding to $12 million each year in FY2024 and FY2025", of a rural
            # grant program) answers another question. Only which sentences are quoted: the evidence is as above.
            candidates = of_briefs_naming(plan.question, candidates, self.folded_brief)
        if plan.kind in ("list", "summary"):
            return list_answer(plan, question, candidates, evidence_score=score, max_items=max(settings.max_sentences, 6),
                               refusal_threshold=threshold,
                               passages_of=self.planner.whole_brief if plan.kind == "list" else None)
        return fact_answer(plan, question, candidates, evidence_score=score, max_sentences=settings.max_sentences,
                           refusal_threshold=threshold, passages_of=self.planner.whole_brief)

    def _evidence(self, query: str, hits: Sequence[Hit], query_vector, exact: bool,
                  numbers_from: str | None = None, named: dict[str, frozenset[str]] | None = None) -> float:
        """The score refusal is decided on (monotone in ``hits``): relevance of the best sentence
        (``answer.compose.evidence``), or p(answerable) of the answerability model when it is on."""
        if self.answerability is not None:
            features = answerability_features(query, hits, self.sentence_vectors, question_vector=query_vector,
                                              match_numbers=exact, numbers_from=numbers_from,
                                              brief_terms=self.brief_terms, named=named)
            return self.answerability.score(features)
        return evidence(query, hits, self.sentence_vectors, question_vector=query_vector, match_numbers=exact,
                        numbers_from=numbers_from, coverage_weight=self.settings.coverage_weight,
                        brief_terms=self.brief_terms, named=named)

    def _llm_stream(self, plan: Plan, question: str, extractive: Answer) -> Iterator[str | Answer]:
        """The chat model's answer over the passages the plan chose, told the kind's shape."""
        chosen = dict.fromkeys(c.chunk_id for c in extractive.citations)
        by_id = {h.chunk.id: h for h in plan.hits}
        hits = [by_id[c] for c in chosen if c in by_id] or list(plan.hits[: self.retriever.settings.k])
        if plan.kind == "fact":  # a fact reads the retrieved passages as they ranked
            hits = list(plan.hits)
        instructions = load_prompt(f"shape_{plan.shape}")
        assert self.llm is not None  # only called with a chat model
        for item in self.llm.stream(question, hits, standalone=plan.question, evidence=extractive.evidence,
                                    kind=plan.kind, instructions=instructions):
            if isinstance(item, Answer):
                if self.settings.llm_fallback and (reason := failed_wholesale(item)):
                    item = self._fallback(extractive, item, reason)
                    yield item.text
                item = dataclasses.replace(item, kind=plan.kind, briefs_read=extractive.briefs_read, shape=plan.shape,
                                           notice=extractive.notice)
            yield item

    def _fallback(self, extractive: Answer, failed: Answer, reason: str) -> Answer:
        """The plan's extractive answer in place of a model answer that failed the citation check as a whole."""
        log.info("model answer to %r replaced by the extractive one: %s", extractive.question, reason)
        report = failed.generation or GenerationReport(model=self.settings.llm_model)
        note = f"{reason}; the extractive answer is shown instead"
        return dataclasses.replace(extractive, backend="llm", generation=dataclasses.replace(
            report, fallback=note, notes=(*report.notes, f"model text: {failed.text}")))


def flagged_sentences(hits: Sequence[Hit]) -> tuple[FlaggedSentence, ...]:
    """The sentences of ``hits`` that ``answer.safety.instruction_flags`` sets aside, once each."""
    found: dict[tuple[str, int], FlaggedSentence] = {}
    for hit in hits:
        chunk = hit.chunk
        spans = quote_spans(chunk.text)
        for (start, end), flagged in zip(spans, instruction_flags([chunk.text[s:e] for s, e in spans])):
            if flagged:
                found.setdefault((chunk.doc_id, chunk.start + start), FlaggedSentence(
                    chunk.id, chunk.source, chunk.start + start, chunk.start + end, chunk.text[start:end]))
    return tuple(found.values())
