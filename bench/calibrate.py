"""Choose the refusal and support thresholds on calibration sets the tests never assert on.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.calibrate [--questions FILE ... --corpus PATH ... --store DIR] [--no-write]
                                                        [--fit-answerability] [--random-splits N]

The calibration corpus (the two sample briefs and ten CRS reports, see ``bench/data/README.md``)
is synced through ``system.System`` into ``.cache/calibration-store``; each question of
``bench/data/calibration_questions.jsonl``, ``calibration_nearmiss.jsonl`` and
``calibration_answerable3.jsonl`` (pooled) is asked of
the real assistant (extractive backend), and its ``Answer.evidence`` (the score refusal is decided
on) is kept.

- Refusal threshold and coverage weight (``AnswerSettings.refusal_threshold``, ``coverage_weight``):
  every question is asked once per weight in ``WEIGHTS`` (the evidence is relevance lowered for
  the share of the question's focus a sentence leaves uncovered, ``answer.coverage``). At each
  threshold t, false refusals (answerable questions with evidence < t) and answered
  unanswerables (near-miss and off-topic questions with evidence >= t). The chosen (weight, t)
  answers the fewest unanswerables while refusing at most 5% of the answerable questions (the
  product's target; ``--max-false-refusals``); where none does, or with a negative cap, the
  lowest mean of the two (balanced error). Of tied thresholds the middle one is taken, of tied
  weights the smallest. On the 105 answerable questions a 5% cap allows five refusals, and on a
  split half (52 or 53) two, so the split-half figures of this rule are coarse.
- Support threshold (``AnswerSettings.support_threshold``): each answerable question's ``claim``
  (its answer in other words) scored by the assistant's ``SupportScorer`` against the stored
  passage holding its evidence (supported) and against the passages holding the evidence of the
  other questions on the same document (same topic, not supporting). The lowest balanced error chooses t.
- Split-half: each threshold (and weight) chosen on the odd-numbered items and scored on the
  even-numbered ones, and the other way round; the figures are the error rates on the held-out halves.
- Answerability model (``answer.answerability``, ``AnswerSettings.answerability``): the features of
  each question (recorded as the weight-0 assistant decides) go into a logistic regression with
  non-negative weights (numpy, ``fit_logistic``); its threshold on p(answerable) by the same rule.
  Compared with relevance alone on the same split halves (weights and threshold fitted on one half,
  scored on the other), and over ``--random-splits`` random stratified half splits (the spread is the
  noise a gain must beat). ``--fit-answerability`` writes the model fitted on every question to
  ``answer/answerability_model.json``. Questions the model does not score (comparisons, whole-brief
  plans) keep relevance's decision at the default threshold.

Prints both curves, the chosen values and the current defaults; writes ``docs/benchmarks.md``
(``--no-write``: print only). Change the defaults in ``settings.py`` only if this says so, and
read the split-half line and the relevance-alone line first: a weight above 0 that gains nothing
on the held-out halves ships off (as now: docs/benchmarks.md, refusal).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from bench._common import REPO_ROOT, Load, header, load_average, markdown_table, setup_environment, write_section

setup_environment()

import numpy as np  # noqa: E402

from settings import Settings  # noqa: E402
from answer.answerability import FEATURES, MODEL_PATH, AnswerabilityModel, answerability_features, fit_logistic  # noqa: E402
from answer.assistant import Assistant  # noqa: E402
from system import System, shared_embedder  # noqa: E402
from vectorstore.types import Chunk  # noqa: E402

DATA = REPO_ROOT / "bench" / "data"
CRS = REPO_ROOT.parent / "shared" / "corpora" / "crs-reports"
CORPUS = [REPO_ROOT / "samples" / "briefs", CRS / "IF13201v1-soft-targets-and-the-nonprofit-security-grant-pr.pdf",
          CRS / "IF13200v1-treasury-s-exchange-stabilization-fund.pdf",
          CRS / "IN12678v4-u-s-iran-ceasefire-assessment-reactions-and-issu.pdf",
          # the reports of calibration_nearmiss.jsonl, which no other question set uses
          CRS / "IF13203.2.pdf", CRS / "IF13205.1.pdf", CRS / "IN12680.1.pdf", CRS / "IN12681.2.pdf", CRS / "IF12929.2.pdf",
          # the reports of calibration_answerable3.jsonl, which no other question set uses
          CRS / "IF11755.pdf", CRS / "IN12516.10.pdf"]
QUESTIONS = [DATA / "calibration_questions.jsonl", DATA / "calibration_nearmiss.jsonl",
             DATA / "calibration_answerable3.jsonl"]
GRID = [round(0.01 * i, 2) for i in range(101)]
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)  # coverage weights tried
FIXED = Settings().answer.refusal_threshold  # comparisons keep deciding on relevance at this threshold
MAX_FALSE_REFUSALS = 0.05  # the product's target: at most 5% of answerable questions refused


@dataclass(frozen=True)
class Item:
    """One scored case: positive ones should reach the threshold, negative ones stay below it."""

    score: float
    positive: bool
    kind: str
    source: str = ""  # the question file it comes from


def errors(items: list[Item], t: float) -> tuple[float, float]:
    """(share of positives below t, share of negatives at or above t)."""
    pos = [i for i in items if i.positive]
    neg = [i for i in items if not i.positive]
    missed = sum(i.score < t for i in pos) / max(1, len(pos))
    passed = sum(i.score >= t for i in neg) / max(1, len(neg))
    return missed, passed


def choose(items: list[Item], max_missed: float | None = None) -> float:
    """The grid threshold with the lowest balanced error; the middle one of ties.

    With ``max_missed``: the threshold that lets the fewest negatives pass while missing at most
    that share of the positives (the middle one of ties); the balanced rule when none does.
    """
    if max_missed is not None:
        allowed = [(errors(items, t)[1], t) for t in GRID if errors(items, t)[0] <= max_missed + 1e-12]
        if allowed:
            best = min(e for e, _ in allowed)
            tied = [t for e, t in allowed if e == best]
            return tied[len(tied) // 2]
    scored = [(sum(errors(items, t)) / 2, t) for t in GRID]
    best = min(e for e, _ in scored)
    tied = [t for e, t in scored if e == best]
    return tied[len(tied) // 2]


def halves(items: list[Any]) -> tuple[list[Any], list[Any]]:
    """(the odd-numbered, the even-numbered items), numbered within each kind (answerable, near-miss,
    off-topic, ...) so that both halves hold every kind whatever order the file has."""
    odd: list[Any] = []
    even: list[Any] = []
    for kind in dict.fromkeys(i.kind for i in items):
        of_kind = [i for i in items if i.kind == kind]
        odd += of_kind[0::2]
        even += of_kind[1::2]
    return odd, even


def auc(items: list[Item]) -> float:
    """The chance that a random positive scores above a random negative (ties count half): how well the
    score separates the two, whatever the threshold (0.5 = not at all)."""
    pos = [i.score for i in items if i.positive]
    neg = [i.score for i in items if not i.positive]
    if not pos or not neg:
        return float("nan")
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def split_half(items: list[Item]) -> tuple[float, float, float]:
    """(threshold chosen on odd, on even, balanced error on the held-out halves, pooled)."""
    odd, even = halves(items)
    t_odd, t_even = choose(odd), choose(even)
    # score each half with the other half's threshold, pooling the counts
    pos = [i for i in even if i.positive], [i for i in odd if i.positive]
    neg = [i for i in even if not i.positive], [i for i in odd if not i.positive]
    missed = sum(i.score < t_odd for i in pos[0]) + sum(i.score < t_even for i in pos[1])
    passed = sum(i.score >= t_odd for i in neg[0]) + sum(i.score >= t_even for i in neg[1])
    error = (missed / max(1, len(pos[0]) + len(pos[1])) + passed / max(1, len(neg[0]) + len(neg[1]))) / 2
    return t_odd, t_even, error


def choose_weighted(by_weight: dict[float, list[Item]], max_missed: float | None = None) -> tuple[float, float, float]:
    """(weight, threshold, balanced error): each weight's threshold by ``choose``, then the weight whose
    threshold lets the fewest negatives pass (with ``max_missed``) or has the lowest balanced error
    (without); the smallest weight of ties."""
    best: tuple[float, float, float] | None = None
    best_key: tuple[float, float] | None = None
    for weight, items in sorted(by_weight.items()):
        t = choose(items, max_missed)
        missed, passed = errors(items, t)
        key = (passed, missed) if max_missed is not None and missed <= max_missed + 1e-12 else (1.0 + (missed + passed) / 2, 0.0)
        if best_key is None or key < best_key:
            best, best_key = (weight, t, (missed + passed) / 2), key
    assert best is not None
    return best


def split_half_weighted(by_weight: dict[float, list[Item]], max_missed: float | None = None
                        ) -> tuple[tuple[float, float], tuple[float, float], float, float, float]:
    """((weight, t) chosen on odd, on even, then on the held-out halves, pooled: balanced error,
    share of positives missed, share of negatives passed)."""
    odd = {w: halves(items)[0] for w, items in by_weight.items()}
    even = {w: halves(items)[1] for w, items in by_weight.items()}
    w_odd, t_odd, _ = choose_weighted(odd, max_missed)
    w_even, t_even, _ = choose_weighted(even, max_missed)
    held = [(i, t_odd) for i in even[w_odd]] + [(i, t_even) for i in odd[w_even]]
    pos = [(i, t) for i, t in held if i.positive]
    neg = [(i, t) for i, t in held if not i.positive]
    missed = sum(i.score < t for i, t in pos) / max(1, len(pos))
    passed = sum(i.score >= t for i, t in neg) / max(1, len(neg))
    return (w_odd, t_odd), (w_even, t_even), (missed + passed) / 2, missed, passed


def curve(items: list[Item], *, every: float, extra: tuple[float, ...], labels: tuple[str, str]) -> str:
    points = sorted({round(every * i, 2) for i in range(int(1 / every) + 1)} | set(extra))
    rows = []
    for t in points:
        missed, passed = errors(items, t)
        mark = " (default)" if t == extra[0] else " (chosen)" if t in extra[1:] else ""
        rows.append([f"{t:.2f}{mark}", f"{100 * missed:.0f}%", f"{100 * passed:.0f}%", f"{50 * (missed + passed):.1f}%"])
    return markdown_table(["threshold", labels[0], labels[1], "balanced error"], rows)


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def _shown(path: Path) -> Path:
    return path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path


def _record_features(assistant: Assistant, out: list[np.ndarray | None]) -> None:
    """Make ``assistant`` put each question's answerability features into ``out[-1]`` as it decides
    refusal (the score it returns is unchanged: relevance alone)."""
    decide = assistant._evidence

    def recording(query, hits, query_vector, exact, numbers_from=None, named=None):  # type: ignore[no-untyped-def]
        out[-1] = answerability_features(query, hits, assistant.sentence_vectors, question_vector=query_vector,
                                         match_numbers=exact, numbers_from=numbers_from,
                                         brief_terms=assistant.brief_terms, named=named)
        return decide(query, hits, query_vector, exact, numbers_from, named)

    assistant._evidence = recording  # type: ignore[method-assign]


def _fit(plain: list[Item], features: list[np.ndarray | None], train: list[int], cap: float | None
         ) -> tuple[np.ndarray, float, float]:
    """(weights, bias, threshold) of the answerability model fitted on the questions ``train`` (indices)."""
    rows = [i for i in train if features[i] is not None]
    x = np.array([features[i] for i in rows])
    y = np.array([plain[i].positive for i in rows], dtype=float)
    w, b = fit_logistic(x, y)
    scored = _model_items(plain, features, w, b, train)
    return w, b, choose(scored, cap)


def _model_items(plain: list[Item], features: list[np.ndarray | None], w: np.ndarray, b: float,
                 which: list[int]) -> list[Item]:
    """The questions ``which`` scored by the model; where no score is taken (a comparison, a whole-brief
    summary) the relevance decision at the default threshold stands (``FIXED``): 1.0 when it answers, 0.0 when not."""
    out = []
    for i in which:
        x = features[i]
        score = float(1 / (1 + np.exp(-(b + w @ x)))) if x is not None else float(plain[i].score >= FIXED)
        out.append(Item(score, plain[i].positive, plain[i].kind, plain[i].source))
    return out


def answerability_report(plain: list[Item], features: list[np.ndarray | None], cap: float | None, splits: int,
                         files: list[Path]) -> tuple[list[str], AnswerabilityModel]:
    """Markdown lines comparing the answerability model with relevance alone on held-out halves, and the
    model fitted on every question."""
    index = list(range(len(plain)))
    odd, even = halves([_Indexed(i, plain[i].kind) for i in index])
    odd_i, even_i = [k.i for k in odd], [k.i for k in even]
    held_model: list[tuple[Item, float]] = []
    held_plain: list[tuple[Item, float]] = []
    fits = []
    for train, test in ((odd_i, even_i), (even_i, odd_i)):
        w, b, t = _fit(plain, features, train, cap)
        fits.append((w, b, t))
        held_model += [(it, t) for it in _model_items(plain, features, w, b, test)]
        t_plain = choose([plain[i] for i in train], cap)
        held_plain += [(plain[i], t_plain) for i in test]

    def rates(held: list[tuple[Item, float]]) -> tuple[float, float, int, int, int, int]:
        pos = [(i, t) for i, t in held if i.positive]
        neg = [(i, t) for i, t in held if not i.positive]
        m, p = sum(i.score < t for i, t in pos), sum(i.score >= t for i, t in neg)
        return m / max(1, len(pos)), p / max(1, len(neg)), m, len(pos), p, len(neg)

    rm, rp = rates(held_model), rates(held_plain)
    right_model = [(i.score >= t) == i.positive for i, t in held_model]
    right_plain = [(i.score >= t) == i.positive for i, t in held_plain]
    only_model = sum(a and not b for a, b in zip(right_model, right_plain))
    only_plain = sum(b and not a for a, b in zip(right_model, right_plain))
    p_value = _sign_test(only_model, only_plain)
    held_auc_model = (auc([i for i, _ in held_model[:len(even_i)] if i.kind != "off-topic"])
                      + auc([i for i, _ in held_model[len(even_i):] if i.kind != "off-topic"])) / 2
    held_auc_plain = (auc([plain[i] for i in even_i if plain[i].kind != "off-topic"])
                      + auc([plain[i] for i in odd_i if plain[i].kind != "off-topic"])) / 2

    # repeated random stratified halves: the spread of the difference in balanced error (held-out)
    rng = np.random.default_rng(12)
    diffs: list[float] = []
    auc_diffs: list[float] = []
    for _ in range(splits):
        train, test = [], []
        for kind in dict.fromkeys(i.kind for i in plain):
            of_kind = [i for i in index if plain[i].kind == kind]
            rng.shuffle(of_kind)
            train += of_kind[: len(of_kind) // 2]
            test += of_kind[len(of_kind) // 2:]
        w, b, t = _fit(plain, features, train, cap)
        t_plain = choose([plain[i] for i in train], cap)
        e_model = sum(errors(_model_items(plain, features, w, b, test), t)) / 2
        e_plain = sum(errors([plain[i] for i in test], t_plain)) / 2
        diffs.append(e_plain - e_model)
        auc_diffs.append(auc([i for i in _model_items(plain, features, w, b, test) if i.kind != "off-topic"])
                         - auc([plain[i] for i in test if plain[i].kind != "off-topic"]))
    diffs_a, auc_a = np.array(diffs), np.array(auc_diffs)

    w, b, t = _fit(plain, features, index, cap)
    scored = _model_items(plain, features, w, b, index)
    missed, passed = errors(scored, t)
    total = len([x for x in features if x is not None])
    model = AnswerabilityModel(FEATURES, tuple(float(v) for v in w), float(b), t,
                               fitted_on=f"{', '.join(str(f) for f in files)}: {sum(i.positive for i in plain)} "
                                         f"answerable, {sum(not i.positive for i in plain)} unanswerable "
                                         f"({total} scored); bench.calibrate")
    rule = (f"the fewest unanswerables answered with at most {100 * cap:.0f}% false refusals" if cap is not None
            else "the lowest balanced error")
    lines = [
        "### Answerability model (logistic regression over evidence features; `answer.answerability`)\n",
        f"- Fitted on every calibration question ({total} with a refusal score): weights "
        + ", ".join(f"{name} {v:.3f}" for name, v in zip(FEATURES, w)) + f", bias {b:.3f}; threshold on "
        f"p(answerable) by the same rule ({rule}): {t:.2f}; there, in-sample, {100 * missed:.1f}% false refusals, "
        f"{100 * passed:.1f}% of unanswerables answered; AUC answerable vs near-miss "
        f"{auc([i for i in scored if i.kind != 'off-topic']):.3f} (relevance alone "
        f"{auc([i for i in plain if i.kind != 'off-topic']):.3f}).",
        "- Split-half (the halves above: fit weights and threshold on one half, score the other): weights on the "
        "odd half " + ", ".join(f"{v:.2f}" for v in fits[0][0]) + f" (t {fits[0][2]:.2f}), on the even half "
        + ", ".join(f"{v:.2f}" for v in fits[1][0]) + f" (t {fits[1][2]:.2f}). Held-out halves, model: "
        f"{rm[2]}/{rm[3]} false refusals ({100 * rm[0]:.1f}%), {rm[4]}/{rm[5]} unanswerables answered "
        f"({100 * rm[1]:.1f}%), balanced error {50 * (rm[0] + rm[1]):.1f}%; relevance alone: {rp[2]}/{rp[3]} "
        f"({100 * rp[0]:.1f}%), {rp[4]}/{rp[5]} ({100 * rp[1]:.1f}%), balanced error {50 * (rp[0] + rp[1]):.1f}%. "
        f"Held-out AUC (answerable vs near-miss, mean of the halves): model {held_auc_model:.3f}, relevance alone "
        f"{held_auc_plain:.3f}. Decided right by the model only {only_model}, by relevance alone only "
        f"{only_plain} (two-sided sign test p = {p_value:.2f}).",
        f"- {splits} random stratified half splits (seed 12), same rule, held-out balanced error of relevance alone "
        f"minus the model's: mean {100 * diffs_a.mean():+.1f} points, sd {100 * diffs_a.std():.1f}, "
        f"model better in {int((diffs_a > 0).sum())}, worse in {int((diffs_a < 0).sum())}, tied in "
        f"{int((diffs_a == 0).sum())}; held-out AUC (answerable vs near-miss) of the model minus relevance alone: "
        f"mean {auc_a.mean():+.3f}, sd {auc_a.std():.3f}, higher in {int((auc_a > 0).sum())} of {splits}.",
    ]
    return lines, model


@dataclass(frozen=True)
class _Indexed:
    i: int
    kind: str


def _sign_test(a: int, b: int) -> float:
    """Two-sided exact binomial (sign/McNemar) test of ``a`` against ``b`` discordant pairs."""
    from math import comb
    n = a + b
    if n == 0:
        return 1.0
    k = min(a, b)
    return min(1.0, 2 * sum(comb(n, j) for j in range(k + 1)) / 2 ** n)


def _pdf_count(paths: Sequence[Path]) -> int:
    """The PDFs among ``paths``, a folder counting the PDFs in it (a folder given as the corpus was counted 0)."""
    files = [f for p in paths for f in (p.rglob("*") if p.is_dir() else [p])]
    return sum(f.suffix.lower() == ".pdf" for f in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, nargs="+", default=QUESTIONS,
                        help="calibration question files, pooled (JSONL: question, unanswerable, type; answerable ones "
                             "with references[].text, and a claim for the support curve); default: the three sets in bench/data")
    parser.add_argument("--corpus", type=Path, nargs="+", default=CORPUS,
                        help="files and folders the questions are about (default: the sample briefs and ten CRS reports)")
    parser.add_argument("--store", type=Path, default=REPO_ROOT / ".cache" / "calibration-store")
    parser.add_argument("--max-false-refusals", type=float, default=MAX_FALSE_REFUSALS,
                        help="refusal: choose the values that answer the fewest unanswerables while refusing at most "
                             "this share of the answerable questions (default %(default)s, the product's target); a "
                             "negative value chooses the lowest balanced error instead")
    parser.add_argument("--no-write", dest="write", action="store_false", help="print only; leave docs/ alone")
    parser.add_argument("--fit-answerability", action="store_true",
                        help=f"write the answerability model fitted on all calibration questions to "
                             f"{MODEL_PATH.relative_to(REPO_ROOT)} (its threshold by the same rule)")
    parser.add_argument("--random-splits", type=int, default=200,
                        help="random stratified half splits for the answerability comparison (default %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    load_before = load_average()

    defaults = Settings()
    settings = defaults.model_copy(update={
        "store": defaults.store.model_copy(update={"path": args.store, "host": None}),
        "data_dir": args.store.parent / "calibration-data",
        "answer": defaults.answer.model_copy(update={"backend": "extractive"})})
    system = System(settings, embedder=shared_embedder(settings.embedding))
    report = system.syncer.sync(args.corpus)
    if report.failed:
        raise SystemExit(f"the calibration corpus failed to sync: {report.failed}")
    questions = [{**json.loads(line), "_file": path.name} for path in args.questions
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assistant = system.assistant

    by_weight: dict[float, list[Item]] = {}
    features: list[np.ndarray | None] = []  # per question: the answerability features, None where no score is taken
    for weight in WEIGHTS:
        weighted = Assistant(system.retriever, assistant.embedder,
                             settings.answer.model_copy(update={"coverage_weight": weight}))
        weighted.sentence_vectors = assistant.sentence_vectors  # encode each sentence once for every weight
        if weight == 0.0:
            _record_features(weighted, features)
        by_weight[weight] = []
        for q in questions:
            if weight == 0.0:
                features.append(None)
            by_weight[weight].append(Item(weighted.ask(q["question"]).evidence, not q["unanswerable"],
                                          q.get("type", ""), q["_file"]))

    passages: Sequence[Chunk] = system.retriever.keyword_index().chunks
    answerable = [q for q in questions if not q["unanswerable"] and q.get("claim")]
    holding: dict[str, Chunk] = {}
    for q in answerable:
        wanted = _norm(q["references"][0]["text"])
        found = [c for c in passages if wanted in _norm(c.text)]
        if not found:
            print(f"{q['id']}: evidence not inside one stored passage, left out of the support curve", file=sys.stderr)
            continue
        holding[q["id"]] = found[0]
    support: list[Item] = []
    for q in answerable:
        if q["id"] not in holding:
            continue
        own = holding[q["id"]]
        others = {c.id: c for qid, c in holding.items()
                  if qid != q["id"] and c.source == own.source and c.id != own.id}
        chunks = [own, *others.values()]
        scores = assistant.scorer.best_supports([q["claim"]], chunks)[0]
        support.append(Item(scores[0].score if scores[0] else 0.0, True, "supported"))
        support.extend(Item(s.score if s else 0.0, False, "other passage, same brief") for s in scores[1:])
    load = Load(load_before, load_average())

    a = defaults.answer
    cap = args.max_false_refusals if args.max_false_refusals >= 0 else None
    chosen_weight, chosen_refusal, _ = choose_weighted(by_weight, cap)
    refusal = by_weight[chosen_weight]
    chosen_support = choose(support)
    r_split, s_split = split_half_weighted(by_weight, cap), split_half(support)
    plain_split = split_half_weighted({0.0: by_weight[0.0]}, cap) if 0.0 in by_weight else None
    counts = {kind: sum(i.kind == kind for i in refusal) for kind in ("answerable", "near-miss", "off-topic")}
    near = [i for i in refusal if i.kind == "near-miss"]
    off = [i for i in refusal if i.kind == "off-topic"]
    lines = [
        "## Refusal and support thresholds (calibration)\n",
        header(load),
        f"- Calibration sets {', '.join(f'`{_shown(p)}`' for p in args.questions)}, pooled: "
        f"{counts['answerable']} answerable, {counts['near-miss']} near-miss unanswerable, {counts['off-topic']} off-topic "
        f"questions over the sample briefs and {_pdf_count(args.corpus)} CRS reports "
        f"({system.store.count()} passages); no question set a test asserts on or a held-out figure comes from. "
        "Extractive backend. Split halves are numbered within each kind of question.",
        f"- Refusal: default coverage weight {a.coverage_weight} and threshold {a.refusal_threshold}, chosen here "
        f"{chosen_weight} and {chosen_refusal:.2f} (weights tried: {', '.join(str(w) for w in WEIGHTS)}). Split-half: "
        f"weight {r_split[0][0]}, threshold {r_split[0][1]:.2f} chosen on the odd-numbered questions, "
        f"{r_split[1][0]} / {r_split[1][1]:.2f} on the even; on the held-out halves "
        f"{100 * r_split[3]:.1f}% false refusals, {100 * r_split[4]:.1f}% of unanswerables answered, balanced "
        f"error {100 * r_split[2]:.1f}%. Rule: "
        + (f"the fewest unanswerables answered with at most {100 * cap:.0f}% false refusals"
           if cap is not None else "the lowest balanced error")
        + ". At the chosen values, near-miss questions answered "
        f"{sum(i.score >= chosen_refusal for i in near)}/{len(near)}, off-topic answered "
        f"{sum(i.score >= chosen_refusal for i in off)}/{len(off)}, answerable refused "
        f"{sum(i.score < chosen_refusal for i in refusal if i.positive)}/{counts['answerable']}.",
        *([f"- Relevance alone (weight 0), the same rule and halves: thresholds {plain_split[0][1]:.2f} / "
           f"{plain_split[1][1]:.2f}; on the held-out halves {100 * plain_split[3]:.1f}% false refusals, "
           f"{100 * plain_split[4]:.1f}% of unanswerables answered, balanced error {100 * plain_split[2]:.1f}%."]
          if plain_split else []),
        "- Per coverage weight, its threshold by the rule, false refusals / unanswerables answered there: " + ", ".join(
            f"{w}: {choose(items, cap):.2f}, {100 * errors(items, choose(items, cap))[0]:.0f}% / "
            f"{100 * errors(items, choose(items, cap))[1]:.0f}%" for w, items in sorted(by_weight.items())) + ".",
        "- Separation whatever the threshold (AUC of the evidence, answerable against near-miss questions; 0.5 = none), "
        "per coverage weight and per set: " + "; ".join(
            f"{w}: " + ", ".join(f"{name} {auc([i for i in items if i.source == name and i.kind != 'off-topic']):.3f}"
                                 for name in dict.fromkeys(i.source for i in items))
            for w, items in sorted(by_weight.items())) + ".",
        "- At the chosen values, per set: " + "; ".join(
            f"{name}: answerable refused {sum(i.score < chosen_refusal for i in refusal if i.source == name and i.positive)}"
            f"/{sum(i.source == name and i.positive for i in refusal)}, near-miss refused "
            f"{sum(i.score < chosen_refusal for i in near if i.source == name)}/{sum(i.source == name for i in near)}"
            for name in dict.fromkeys(i.source for i in refusal)) + ".",
        f"- Support threshold: default {a.support_threshold}, chosen here {chosen_support:.2f} over {len(support)} "
        f"(claim, passage) pairs ({sum(i.positive for i in support)} supported). Split-half: {s_split[0]:.2f} / "
        f"{s_split[1]:.2f}; balanced error on the held-out halves {100 * s_split[2]:.1f}%.\n",
        f"Refusal (evidence = `Answer.evidence` at the chosen coverage weight {chosen_weight}):\n",
        curve(refusal, every=0.05, extra=(a.refusal_threshold, chosen_refusal),
              labels=("false refusals (answerable refused)", "unanswerables answered")),
        "\nSupport (`SupportScorer` score of a claim against a passage):\n",
        curve(support, every=0.05, extra=(a.support_threshold, chosen_support),
              labels=("supported claims flagged", "unsupporting passages accepted")),
    ]
    if 0.0 in by_weight:
        model_lines, model = answerability_report(by_weight[0.0], features, cap, args.random_splits,
                                                  [_shown(p) for p in args.questions])
        lines += ["", *model_lines]
        if args.fit_answerability:
            model.save(MODEL_PATH)
            print(f"wrote {MODEL_PATH}", file=sys.stderr)
    body = "\n".join(lines) + "\n"
    print(body)
    if args.write:
        write_section("calibration", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
