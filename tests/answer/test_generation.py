"""Bounds on a generation: token budgets, the repetition guard, fitting passages into a context, fallback."""

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from answer.assistant import Assistant
from answer.citations import SupportScorer
from answer.generation import GenerationLimits, RepetitionGuard, estimate_tokens, fit_passages, tokens_for_kind
from answer.llm import LLMAnswerer, answer_messages, build_chat_model, failed_wholesale, model_label
from answer.local_model import LocalModelError, is_local, parse_local_spec
from answer.types import Answer
from ingest.splitter import split_document
from retrieval.hybrid import HybridRetriever
from settings import AnswerSettings, RetrievalSettings
from tests.conftest import index_documents, make_document
from vectorstore.types import Hit

MISSILES = ("Kim has launched seventy-four missiles since he came to power. Japan has already invested at least "
            "$14 billion in missile defenses. The Japanese government is also considering new capabilities.")
SEOUL = "From Seoul, it is only thirty miles to the DMZ. Artillery threatens the civilian population of the city."


@pytest.fixture
def docs():
    return [make_document(MISSILES, source="missiles.txt"), make_document(SEOUL, source="seoul.txt")]


@pytest.fixture
def hits(docs, fake_embedder):
    chunks = [c for d in docs for c in split_document(d, count_tokens=fake_embedder.count_tokens, max_tokens=200)]
    return [Hit(c, 1.0 / rank, rank) for rank, c in enumerate(chunks, 1)]


def test_token_budget_by_kind_falls_back_to_fact():
    budgets = {"fact": 100, "summary": 300}
    assert tokens_for_kind(budgets, "summary") == 300 and tokens_for_kind(budgets, "comparison") == 100
    with pytest.raises(ValueError, match="max_tokens"):
        GenerationLimits(0, 10.0)


@pytest.mark.parametrize("budgets", [{"fact": 0}, {"summary": 100}])
def test_bad_token_budgets_are_refused(budgets):
    with pytest.raises(ValueError):
        AnswerSettings(llm_max_tokens=budgets)


def test_repetition_guard_catches_a_loop_and_cuts_before_it():
    guard = RepetitionGuard()
    loop = "Japan invested $14 billion [1]. Japan spent on defense [1]. Japan invested $14 billion [1]. Japan"
    assert guard.repeats(loop)
    assert guard.cut(loop) == "Japan invested $14 billion [1]. Japan spent on defense [1]."
    assert not guard.repeats("Japan invested $14 billion [1]. Korea invested $2 billion [2]. China objected [3].")
    # a sentence still being written is not yet a repeat
    assert not guard.repeats("Japan invested $14 billion [1]. Japan invested $14 billion")
    assert guard.repeats("la femme de France, " * 4)  # a loop inside one sentence


def test_passages_are_fitted_best_first_and_the_last_cut_at_a_sentence(hits):
    def build(given):
        return answer_messages("How much has Japan invested?", given)

    whole = estimate_tokens(build(hits))
    assert fit_passages(hits, build, estimate_tokens, budget=whole).dropped == 0
    fitted = fit_passages(hits, build, estimate_tokens, budget=estimate_tokens(build(hits[:1])) + 10)
    assert fitted.hits[0] == hits[0] and fitted.dropped == 1
    assert fitted.prompt_tokens <= estimate_tokens(build(hits[:1])) + 10
    tight = fit_passages(hits, build, estimate_tokens, budget=estimate_tokens(build([])) + 20)
    (cut,) = tight.hits
    assert cut.chunk.text == "Kim has launched seventy-four missiles since he came to power."
    assert cut.chunk.start == hits[0].chunk.start and cut.chunk.end == cut.chunk.start + len(cut.chunk.text)
    assert tight.chars_trimmed == len(hits[0].chunk.text) - len(cut.chunk.text) and tight.dropped == 1
    with pytest.raises(ValueError, match="budget"):
        fit_passages(hits, build, estimate_tokens, budget=0)


def run(text: str, hits, fake_embedder, **settings) -> Answer:
    model = GenericFakeChatModel(messages=iter([AIMessage(text)]))
    answerer = LLMAnswerer(model, SupportScorer(fake_embedder), support_threshold=0.5,
                           settings=AnswerSettings(backend="llm", **settings))
    final = list(answerer.stream("How much has Japan invested?", hits))[-1]
    assert isinstance(final, Answer)
    return final


def test_a_looping_answer_is_stopped_and_cut(hits, fake_embedder):
    answer = run("Japan has already invested at least $14 billion in missile defenses [1]. " * 6, hits, fake_embedder)
    assert answer.generation.stop_reason == "repetition"
    assert answer.text == "Japan has already invested at least $14 billion in missile defenses [1]."


def test_a_context_limit_for_remote_models_trims_and_reports(hits, fake_embedder):
    budget = estimate_tokens(answer_messages("How much has Japan invested?", hits[:1])) + 50
    answer = run("Japan has already invested at least $14 billion in missile defenses [1].", hits, fake_embedder,
                 llm_context_tokens=budget, llm_max_tokens={"fact": 50})
    g = answer.generation
    assert g.passages_given == 1 and g.passages_dropped == 1 and g.context_tokens == budget
    assert len(answer.retrieved) == 2 and "fitted the model's context" in g.summary()


def test_failed_wholesale_names_what_failed(hits, fake_embedder):
    assert failed_wholesale(run("Seoul is thirty miles from the DMZ [1]. It is near [1].", hits, fake_embedder))
    assert not failed_wholesale(run("Japan has already invested at least $14 billion in missile defenses [1].",
                                    hits, fake_embedder))


@pytest.fixture
def retriever(make_store, fake_embedder, docs):
    store = make_store(fake_embedder)
    index_documents(store, fake_embedder, docs)
    return HybridRetriever.over(store=store, embedder=fake_embedder, settings=RetrievalSettings(k=2, fetch_k=10))


def test_the_assistant_falls_back_to_the_extractive_answer_and_says_why(retriever, fake_embedder):
    model = GenericFakeChatModel(messages=iter([AIMessage("The moon is made of cheese [2]. Cats can fly [1].")]))
    settings = AnswerSettings(backend="llm", refusal_threshold=0.0)
    answer = Assistant(retriever, fake_embedder, settings, chat_model=model).ask("How much has Japan invested?")
    assert "cheese" not in answer.text and answer.citations and all(s.supported for s in answer.sentences)
    g = answer.generation
    assert "none of the model's 2 sentences" in g.fallback and "extractive answer is shown" in g.summary()
    assert any("cheese" in note for note in g.notes)  # the failed text stays available to a reviewer


def test_without_fallback_the_flagged_model_answer_is_kept(retriever, fake_embedder):
    model = GenericFakeChatModel(messages=iter([AIMessage("The moon is made of cheese [2].")]))
    settings = AnswerSettings(backend="llm", refusal_threshold=0.0, llm_fallback=False)
    answer = Assistant(retriever, fake_embedder, settings, chat_model=model).ask("How much has Japan invested?")
    assert "cheese" in answer.text and answer.unsupported and not answer.generation.fallback


def test_local_model_names(tmp_path):
    assert is_local("local") and is_local("local:/x.gguf") and not is_local("openai:local")
    spec = parse_local_spec("local")
    assert spec.gguf_file.endswith(".gguf") and (spec.folder / spec.gguf_file).is_file()
    with pytest.raises(LocalModelError, match="no such model file or folder"):
        parse_local_spec(f"local:{tmp_path / 'missing.gguf'}")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(LocalModelError, match="must be a .gguf file"):
        parse_local_spec(f"local:{tmp_path / 'notes.txt'}")
    with pytest.raises(LocalModelError, match="no config.json"):
        parse_local_spec(f"local:{tmp_path}")
    model = build_chat_model(AnswerSettings(backend="llm", llm_model="local"))
    assert not model.loaded  # nothing heavy happens until the first answer


def test_model_label_says_what_answers():
    assert "SmolLM2" in model_label(AnswerSettings(backend="llm", llm_model="local"))
    assert model_label(AnswerSettings(backend="llm", llm_model="openai:m", llm_base_url="http://h/v1")) == \
        "chat model openai:m at http://h/v1"
    assert "extractive" in model_label(AnswerSettings())
