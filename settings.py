"""All settings, read once at the edge (CLI entry points, app.py) and passed down as values.

Every field can be set by environment variable with the ``BRIEFS_`` prefix and ``__`` between
levels, e.g. ``BRIEFS_STORE__PATH=/data/store`` or ``BRIEFS_ANSWER__BACKEND=llm``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_MODEL = "all-MiniLM-L6-v2"
REPO_ROOT = Path(__file__).resolve().parent
SAMPLE_BRIEFS = REPO_ROOT / "samples" / "briefs"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoreSettings(_Strict):
    path: Path = Field(Path(".data/store"), description="Directory of the embedded Chroma store.")
    host: str | None = Field(None, description="Chroma server host; set it to use server mode.")
    port: int = Field(8000, description="Chroma server port (server mode only).")
    ssl: bool = Field(False, description="Use HTTPS to reach the Chroma server.")
    collection: str = Field("briefs", min_length=3, description="Collection holding the passages.")


class EmbeddingSettings(_Strict):
    model: str = Field(
        BUNDLED_MODEL,
        description="sentence-transformers model: 'all-MiniLM-L6-v2' (bundled) or a local path / hub name.",
    )
    device: str = Field("cpu", description="torch device for encoding.")
    batch_size: int = Field(32, gt=0, description="Passages encoded per batch.")
    precision: Literal["auto", "fp32", "bf16"] = Field(
        "auto", description="'auto' uses bf16 autocast where the CPU supports it, else fp32."
    )


class ChunkingSettings(_Strict):
    max_tokens: int | None = Field(
        None, gt=8, description="Upper bound of word pieces per embedded passage; default: the model's limit."
    )
    target_chars: int = Field(800, gt=50, description="Preferred passage size in characters.")
    overlap_sentences: int = Field(0, ge=0, description="Sentences repeated at the start of the next passage.")
    embed_title: bool = Field(True, description="Prefix the brief title and section heading to the embedded text.")


class IngestSettings(_Strict):
    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are refused.")
    parse_timeout_s: float = Field(30.0, gt=0, description="Time limit for parsing one PDF/DOCX/HTML file.")
    encoding: str | None = Field(
        None, description="Encoding of .txt/.md files that are not Unicode (no byte-order mark, not UTF-8), e.g. "
                          "'cp1254', instead of detecting it; a file's sidecar 'encoding' wins (--encoding).")

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        import codecs

        if value is None or not value.strip():
            return None
        try:
            return codecs.lookup(value.strip()).name
        except LookupError:
            raise ValueError(f"unknown encoding {value!r}") from None


class RetrievalSettings(_Strict):
    """How passages are found: dense and keyword rankings, fused, then smoothed over neighbours.

    Defaults measured on Chroma's chunking benchmark (``python -m bench.retrieval_quality``, dev
    split, k 5, store built by the product's sync): convex fusion with alpha 0.4 and neighbour
    weight 0.4 gives recall 89.6 / precision 6.97 against 85.4 / 6.44 for RRF (rrf_k 20); with
    the two parameters chosen on one half and scored on the other, recall is 89.3 / precision 6.93.
    """

    k: int = Field(5, gt=0, description="Passages returned per question.")
    fetch_k: int = Field(30, gt=0, description="Candidates taken from each of dense and keyword search.")
    fusion: Literal["convex", "rrf"] = Field(
        "convex", description="'convex': weighted sum of min-max normalised scores (retrieval.fusion."
                              "convex_combination); 'rrf': reciprocal rank fusion.")
    convex_alpha: float = Field(
        0.4, ge=0, le=1, description="Share of the dense ranking in convex fusion; the keyword ranking has the rest.")
    rrf_k: int = Field(20, gt=0, description="Reciprocal-rank-fusion constant (fusion 'rrf').")
    dense_weight: float = Field(
        1.0, ge=0, description="Weight of the dense ranking in fusion (multiplies convex_alpha); 0 switches it off.")
    keyword_weight: float = Field(
        1.0, ge=0,
        description="Weight of the keyword ranking in fusion (multiplies 1 - convex_alpha); 0 switches it off.")
    heading_context: bool = Field(
        True, description="Give each passage the section headings its sentences sit under (text.headings), so a "
                          "sentence under 'Defender Services' counts that heading's words, discounted, when scored "
                          "against a question (answer.extractive). Measured: bench/heading_context_rule.md.")
    neighbour_weight: float | None = Field(
        None, ge=0, lt=1,
        description="Share of a passage's score taken from the fused scores of the passages just before and after "
                    "it in its brief (retrieval.fusion.smooth_with_neighbours); 0 turns it off. Default: 0.4 with "
                    "convex fusion, 0 with rrf (RRF scores are rank-based; 0.4 was measured for convex only).")

    @property
    def neighbour_share(self) -> float:
        """``neighbour_weight``, or its default for the fusion method when unset."""
        if self.neighbour_weight is not None:
            return self.neighbour_weight
        return 0.4 if self.fusion == "convex" else 0.0


class AnswerSettings(_Strict):
    backend: Literal["extractive", "llm"] = Field("extractive", description="Offline extractive or LLM answers.")
    llm_model: str = Field(
        "openai:gpt-4o-mini",
        description="init_chat_model name 'provider:model'; 'local' for the bundled SmolLM2-135M in-process, "
                    "'local:PATH' for a GGUF file or Hugging Face model folder on this machine.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible base URL (vLLM, llama.cpp, ...).")
    llm_api_key: str | None = Field(None, description="API key for the LLM provider, if it needs one.")
    temperature: float = Field(0.0, ge=0, description="LLM sampling temperature.")
    llm_timeout_s: float = Field(
        60.0, gt=0, description="Seconds a remote chat model may take to answer one request (connect and each "
                                "read) before the request is retried or given up.")
    llm_max_retries: int = Field(2, ge=0, description="Retries of a failed or timed-out remote chat model request.")
    llm_time_limit_s: float = Field(
        120.0, gt=0, description="Wall-clock limit of one whole generation, local or remote; the answer stops there.")
    llm_max_tokens: dict[str, int] = Field(
        {"fact": 200, "list": 300, "summary": 400, "comparison": 400},
        description="New tokens an answer may use, by question kind; kinds without an entry use 'fact'. "
                    "JSON in the environment: BRIEFS_ANSWER__LLM_MAX_TOKENS='{\"fact\": 150}'.")
    llm_repetition_penalty: float = Field(
        1.1, ge=1.0, description="Local models: penalty on tokens already generated (1.0 = none); guards against "
                                 "loops together with the repetition guard that stops a repeating answer.")
    llm_context_tokens: int | None = Field(
        None, gt=64, description="Local models: tokens the prompt and the answer may use together; passages that do "
                                 "not fit are cut or left out (reported in the answer). Default: the model's limit, "
                                 "at most 2048.")
    llm_threads: int | None = Field(None, gt=0, description="Local models: CPU threads (default: torch's choice).")
    llm_fallback: bool = Field(
        True, description="When no sentence of the model's answer is backed by its citations, show the extractive "
                          "answer instead (saying so) rather than the failed text.")
    summary_scorer: Literal["centrality", "learned"] = Field(
        "learned",
        description="How a summary scores a brief's sentences: 'learned' (a logistic model of the key points readers "
                    "marked, answer/keypoints.py, weights in answer/data/summary_model.json fitted by "
                    "bench/fit_summary.py) or 'centrality' (LexRank + lead, title and own-summary bonuses, weights set "
                    "by hand; the default before: 1.40 vs 2.27 mean key points on the 15 held-out summaries, README "
                    "'Summaries').")
    max_sentences: int = Field(4, gt=0, description="Sentences in an extractive answer.")
    support_threshold: float = Field(0.6, ge=0, le=1, description="Minimum support score of a cited sentence.")
    refusal_threshold: float = Field(
        0.56, description="Evidence below this score makes the answer a refusal (chosen by bench.calibrate on "
                          "bench/data/calibration_questions.jsonl, calibration_nearmiss.jsonl and "
                          "calibration_answerable3.jsonl, pooled, for coverage weight 0, on the code of issue 12's "
                          "fifth pass; 0.55 in its fourth pass, 0.53 before its table-header fix).")
    coverage_weight: float = Field(
        0.0, ge=0, le=1, description="How much a candidate sentence's evidence is lowered for the share of the "
                                     "question's focus (names, numbers, content words) it leaves uncovered, and when "
                                     "the sentence holds no answer of the expected type (answer.coverage, "
                                     "answer.answer_type; 0 = relevance alone, the default: bench.calibrate chooses "
                                     "0.5, but on held-out halves and held-out sets it gains no more than a higher "
                                     "threshold does; docs/benchmarks.md).")
    named_brief_words: bool = Field(
        True, description="In a fact or list question that names a brief by its words (\"the Court Watcher report\"), "
                          "count those words as written in each sentence of that brief when scoring word overlap "
                          "(answer.extractive.score_sentences, named): its sentences need not repeat the brief's name. "
                          "Chosen by a rule written before its figures (calibration AUC not lower on 2 of 3 sets, "
                          "held-out-half balanced error not higher: 26.3% -> 23.1%); docs/benchmarks.md.")
    absent_names: bool = Field(
        True, description="Refuse a fact or list question about a proper name of several words (\"National Park "
                          "Service\", \"Strait of Malacca\") that no brief in the collection, as filtered, writes "
                          "(answer.coverage.absent_names, a heuristic; on the three calibration sets it flags 0 of 105 "
                          "answerable and 3 of 78 unanswerable questions, one of them answered by relevance alone; "
                          "docs/benchmarks.md).")
    answerability: bool = Field(
        False, description="Decide refusal (fact, list, recommendations, timeline, catalogue questions) on the "
                           "answerability model instead of relevance alone: a logistic regression over several "
                           "evidence features with weights and threshold fitted on the calibration sets "
                           "(answer.answerability, answer/answerability_model.json, bench.calibrate "
                           "--fit-answerability). Off by default: docs/benchmarks.md (refusal) says why.")
    answerability_model: Path | None = Field(
        None, description="The answerability model file (JSON: features, weights, bias, threshold); default: the "
                          "one shipped in answer/answerability_model.json.")

    @field_validator("llm_max_tokens")
    @classmethod
    def _positive_budgets(cls, budgets: dict[str, int]) -> dict[str, int]:
        bad = {kind: n for kind, n in budgets.items() if n <= 0}
        if bad:
            raise ValueError(f"token budgets must be positive: {bad}")
        if "fact" not in budgets:
            raise ValueError(f"llm_max_tokens needs a 'fact' entry (the default kind): {budgets}")
        return budgets


class UISettings(_Strict):
    user_header: str | None = Field(
        None, description="HTTP header in which an authenticating reverse proxy names the user (e.g. "
        "X-Forwarded-User). Trusted only when set: set it only when every request passes through that proxy. "
        "Ignored when Streamlit's own sign-in (st.login, an [auth] section in .streamlit/secrets.toml) is configured.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIEFS_", env_nested_delimiter="__", extra="forbid")

    data_dir: Path = Field(Path(".data"), description="Where the store, the review database and saved indexes live.")
    store: StoreSettings = StoreSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    chunking: ChunkingSettings = ChunkingSettings()
    ingest: IngestSettings = IngestSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    ui: UISettings = UISettings()

    @property
    def keyword_index_dir(self) -> Path:
        """Where keyword indexes are saved between runs (see retrieval.keyword_cache)."""
        return self.data_dir / "keyword-index"

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        if self.retrieval.fetch_k < self.retrieval.k:
            raise ValueError(f"retrieval.fetch_k ({self.retrieval.fetch_k}) must be >= retrieval.k ({self.retrieval.k})")
        return self
