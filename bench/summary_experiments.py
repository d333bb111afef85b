"""Leave-one-brief-out figures for the summary-engine changes listed in ``bench/summary_adoption_rule.md``
(issue 12's fifth pass), each against the shipped engine on the same training briefs.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.summary_experiments QUESTIONS STORE [QUESTIONS STORE ...] \\
        [--variants base,parts2,...]

Training data only, as ``bench/fit_summary.py`` reads it (its ``load_briefs``, ``fit``; the held-out
splits are refused there): for each brief a model is fitted on the others with the shipped
regularisation (C = 0.03) and selection (no section turns, centrality weight 0), and that brief's
summary is chosen with it. Per variant it prints the pooled mean key points, briefs reaching 3,
mean bullets, bullet precision, the mean of each split half (briefs at odd / even places) and the
key points per brief. Variants: ``base``; ``partsP`` (points spread over P parts of the brief,
``summary_variants.spread_over_parts``); ``lamL`` (MMR trade-off); ``redR`` (near-repeat threshold);
``sqrtK`` (points = K x sqrt(sentences)); ``ownS`` (the own summary's share of points);
``feat:NAME[+NAME]`` (an extra feature refitted with the model: ``background``, ``section_lead``,
``caps``, ``bonus``, ``stigma``, ``para``, ``item``, ``ends``, ``section_ends``, and the sixth pass's
``heading`` (X), ``heading_title`` (Z1), ``heading_forward+heading_background`` (Z2), ``thematic`` (L),
``title_words`` (T), the seventh pass's ``section_lead_bare`` (S); the seventh pass's ``div:sections`` (D1) and ``div:clusters`` (D2: Lin & Bilmes'
diversity reward in the selection) and ``capK`` (K: a section gives at most K points until every major
section has given one), ``bare:div:sections`` and ``bare:capK`` (the ninth pass's D1' and K': the same only for briefs without
a summary of their own), ``J1`` / ``J2`` (J: a sentence leaning on the one before comes with it); ``pairwise`` (R: a within-brief pairwise objective, ``fit_pairwise``); without ``--raw``
each comes with its brief-relative column);
``items`` and ``items+feat:item`` (N: bulleted items that are whole sentences quotable: the briefs are
read again with ``summary_variants.list_item``), ``NP`` (a table's note paragraph is no point:
``summary_variants.no_note_paragraph``); the rejected selection candidates and unit rules live in
``bench/summary_variants.py``; ``relative`` (the brief-relative features
alone: candidate P1); ``lrC`` and ``rocchio`` (candidates Y at C and Y': a key-sentence direction in
embedding space, fitted inside each fold with an inner leave-one-brief-out, ``direction_columns``). ``--raw`` gives the engine before candidate P (``RAW_FEATURES`` only, how
candidates A-N' were measured); without it ``base`` is the shipped engine (candidate P2, both
halves of ``FEATURES``, with the learned key-sentence direction of candidate Y2 filled in each fold
as ``bench/fit_summary.py`` fills it); ``--no-direction`` leaves that feature 0 (the engine P2 the sixth
pass's candidates were measured against). ``--c 0.3``: the other regularisation tried for P. Nothing here is shipped: a variant that
passes the rule is made the default in ``answer/`` and the model refitted by ``bench/fit_summary.py``.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from answer import compose_kinds as ck  # noqa: E402
from answer.centrality import lexrank  # noqa: E402
from answer.keypoints import FEATURES, RAW_FEATURES, brief_relative  # noqa: E402
from bench import fit_summary as fs  # noqa: E402
from bench import summary_variants as sv  # noqa: E402

SPLITS = {"dev", "calibration"}
SECTION_WEIGHT = 0.0  # the shipped model's (answer/data/summary_model.json)
SHIPPED = f"lr{fs.DIRECTION_C:g}"  # the shipped key-sentence direction (candidate Y2)
# Candidate B and I's cue lists, written before they were measured (bench/summary_adoption_rule.md).
BACKGROUND = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))-(?:largest|smallest|"
    r"biggest|most populous)\b|\b(?:surface|land) area\b|\bsquare (?:miles|kilometers|kilometres)\b|"
    r"\bentered into force\b|\bcame into force\b|\bwent into effect\b|\bwas (?:established|founded|created) in\b|"
    r"\bis located\b|\bpopulation of\b", re.IGNORECASE)
BONUS = re.compile(
    r"\b(?:concerns?|debates?|challenges?|risks?|issues?|key|significant(?:ly)?|important|however|argues?|argued|"
    r"suggests?|suggested|estimates?|estimated|increase[sd]?|decrease[sd]?|decline[sd]?|grow|grew|grown|"
    r"expand(?:ed|s)?|reduce[sd]?|largest|first|major|critical|primary|main)\b", re.IGNORECASE)
STIGMA = re.compile(r"\b(?:for example|for instance|e\.g\.|such as|see|also|in addition|additionally|similarly|"
                    r"reportedly|according to)\b", re.IGNORECASE)
_ITEM_GLYPHS = set("•▪●◦‣∙·*–-)")
# Candidate Z2's heading cue lists (sixth pass), written before they were measured.
FORWARD_HEADING = re.compile(
    r"\b(?:Congress|Congressional|Issues|Options|Considerations|Policy|Legislation|Legislative|Recommendations|"
    r"Conclusion|Outlook|Findings|Implications|Concerns|Debate|Proposals|Challenges)\b", re.IGNORECASE)
BACKGROUND_HEADING = re.compile(
    r"\b(?:Background|Overview|History|Introduction|What Is|How Does|Origins|Historical|Context)\b", re.IGNORECASE)


def _section_lead(b: fs.Brief) -> np.ndarray:
    out, seen = np.zeros(len(b.found.units)), set()
    for i in sorted(range(len(b.found.units)), key=lambda i: b.found.units[i].doc_start):
        if b.found.sections[i] not in seen:
            out[i] = 1.0
            seen.add(b.found.sections[i])
    return out


def _paragraph_centrality(b: fs.Brief) -> np.ndarray:
    paragraphs = ck._paragraphs(b.found.units, b.found.leads)
    ids = sorted(set(paragraphs.tolist()))
    if len(ids) < 2:
        return np.ones(len(paragraphs))
    means = np.stack([b.found.vectors[paragraphs == p].mean(axis=0) for p in ids])
    centrality = lexrank(means / np.linalg.norm(means, axis=1, keepdims=True))
    by_id = dict(zip(ids, centrality / centrality.max()))
    return np.array([by_id[p] for p in paragraphs.tolist()])


def _nearer_end(b: fs.Brief, feature: str) -> np.ndarray:
    place = b.x[:, FEATURES.index(feature)]
    return np.minimum(place, 1 - place)


# Candidates L and T (second round): content words, a fixed stop list written before they were measured.
_STOP = frozenset("""the and for that with this from are was were has have had its their they them than then
there these those which who whom whose what when where while will would could should may might must can not
but also such into over under about after before between among other more most some any each all both only
been being does did done our out his her him she one two three new per via upon within without into onto
same very much many how why because however including including year years said says""".split())
_CONTENT = re.compile(r"[A-Za-z][A-Za-z-]{2,}")


def _content_words(text: str) -> set[str]:
    words = (w.lower() for w in _CONTENT.findall(text))
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words if w.lower() not in _STOP}


def _thematic(b: fs.Brief, top: int = 10) -> np.ndarray:
    """Candidate L: how many of the brief's ``top`` most frequent content words each sentence holds."""
    from collections import Counter

    per_sentence = [_content_words(u.text) for u in b.found.units]
    counts = Counter(w for words in per_sentence for w in words)
    theme = {w for w, _ in sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:top]}
    return np.array([float(len(words & theme)) for words in per_sentence])


def _title_words(b: fs.Brief) -> np.ndarray:
    """Candidate T: the share of the title's content words each sentence holds (0 without a title)."""
    title = _content_words(b.found.units[0].hit.chunk.title or "")
    if not title:
        return np.zeros(len(b.found.units))
    return np.array([len(_content_words(u.text) & title) / len(title) for u in b.found.units])


def fit_pairwise(briefs: list[fs.Brief], c: float):
    """Candidate R: a linear score fitted on within-brief differences (key minus other sentence), both
    orders, each brief weighing the same, no intercept (RankSVM with a logistic loss); standardised as
    ``fs.fit`` standardises. Returns a ``KeyPointModel`` with bias 0."""
    from sklearn.linear_model import LogisticRegression

    from answer.keypoints import KeyPointModel

    x = np.vstack([b.x for b in briefs])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    diffs, weights = [], []
    for b in briefs:
        z = (b.x - mean) / scale
        pos, neg = z[b.y == 1], z[b.y == 0]
        if not len(pos) or not len(neg):
            continue
        d = (pos[:, None, :] - neg[None, :, :]).reshape(-1, z.shape[1])
        diffs.append(d)
        weights.append(np.full(len(d), 1.0 / len(d)))
    d = np.vstack(diffs)
    w = np.concatenate(weights)
    w *= len(w) / w.sum()
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    model.fit(np.vstack([d, -d]), np.concatenate([np.ones(len(d)), np.zeros(len(d))]), sample_weight=np.concatenate([w, w]))
    return KeyPointModel(fs.FEATURES, mean, scale, model.coef_[0].copy(), 0.0)


@functools.cache
def _encoder():
    """The product's sentence encoder (for the headings candidates X and Z1 embed)."""
    from settings import Settings
    from system import System

    return System(Settings()).assistant.sentence_vectors


def _heading_vectors(b: fs.Brief) -> np.ndarray:
    """Each sentence's section heading embedded, shape (n, dim); zeros where it has none."""
    named = b.found.section_headings
    out = np.zeros_like(b.found.vectors)
    distinct = sorted({h for h in named if h})
    if distinct:
        encoded = dict(zip(distinct, _encoder().encode(distinct)))
        for i, heading in enumerate(named):
            if heading:
                out[i] = encoded[heading]
    return out


def _heading_similarity(b: fs.Brief) -> np.ndarray:
    """Candidate X: cosine of each sentence to its own section's heading, clipped at 0 (0 without one)."""
    return np.clip(np.einsum("ij,ij->i", b.found.vectors, _heading_vectors(b)), 0.0, None)


def _heading_title(b: fs.Brief) -> np.ndarray:
    """Candidate Z1: cosine of each sentence's section heading to the brief's title (0 without either)."""
    if b.found.title_vector is None:
        return np.zeros(len(b.found.units))
    return _heading_vectors(b) @ b.found.title_vector


def _heading_cue(b: fs.Brief, cue: re.Pattern) -> np.ndarray:
    return np.array([1.0 if h and cue.search(h) else 0.0 for h in b.found.section_headings])


def _rocchio(train: list[fs.Brief]) -> np.ndarray:
    """Candidate Y': the mean embedding of ``train``'s key sentences minus that of the others (each brief
    weighing the same), normalised."""
    x = np.vstack([b.found.vectors for b in train])
    positives = np.concatenate([b.y for b in train]) == 1
    weight = np.concatenate([np.full(len(b.y), 1.0 / len(b.y)) for b in train])
    w = np.average(x[positives], axis=0, weights=weight[positives]) - np.average(x[~positives], axis=0,
                                                                                  weights=weight[~positives])
    return w / np.linalg.norm(w)


def direction_columns(briefs: list[fs.Brief], kind: str) -> list[list[np.ndarray]]:
    """``out[k][j]``: the direction feature of brief ``j`` in the fold that leaves brief ``k`` out, nested so
    no brief scores itself (``fit_summary.nested_directions``). ``kind``: "lrC" (the shipped logistic
    direction at C) or "rocchio"."""
    if kind != "rocchio":
        return fs.nested_directions(briefs, float(kind[2:]))
    cache: dict[frozenset[int], np.ndarray] = {}

    def direction(left_out: frozenset[int]) -> np.ndarray:
        if left_out not in cache:
            cache[left_out] = _rocchio([b for i, b in enumerate(briefs) if i not in left_out])
        return cache[left_out]

    return [[b.found.vectors @ direction(frozenset({j, k})) for j, b in enumerate(briefs)] for k in range(len(briefs))]


def _caps(text: str) -> float:
    words = [w for w in text.split()[1:] if w[:1].isalpha()]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0.0


def _item(unit) -> float:
    return 1.0 if unit.hit.chunk.text[max(0, unit.start - 4):unit.start].strip()[-1:] in _ITEM_GLYPHS else 0.0


def extra_features(b: fs.Brief, names: tuple[str, ...], columns_in: slice = slice(None), *,
                   relative_too: bool = False) -> np.ndarray:
    """``b``'s features (the columns ``columns_in`` of ``FEATURES``) with the named extra columns appended."""
    x = b.x[:, columns_in]
    texts = [u.text for u in b.found.units]
    columns = {"background": lambda: [1.0 if BACKGROUND.search(t) else 0.0 for t in texts],
               "bonus": lambda: [1.0 if BONUS.search(t) else 0.0 for t in texts],
               "stigma": lambda: [1.0 if STIGMA.search(t) else 0.0 for t in texts],
               "caps": lambda: [_caps(t) for t in texts], "section_lead": lambda: _section_lead(b),
               "section_lead_bare": lambda: _section_lead(b) * (0.0 if b.found.own_summary.any() else 1.0),
               "para": lambda: _paragraph_centrality(b), "item": lambda: [_item(u) for u in b.found.units],
               "ends": lambda: _nearer_end(b, "position"), "section_ends": lambda: _nearer_end(b, "section_position"),
               "heading": lambda: _heading_similarity(b), "heading_title": lambda: _heading_title(b),
               "heading_forward": lambda: _heading_cue(b, FORWARD_HEADING),
               "heading_background": lambda: _heading_cue(b, BACKGROUND_HEADING),
               "thematic": lambda: _thematic(b), "title_words": lambda: _title_words(b)}
    unknown = [n for n in names if n not in columns]
    if unknown:
        raise ValueError(f"unknown features {unknown}; known: {sorted(columns)}")
    if not names:
        return x
    added = np.column_stack([np.asarray(columns[n](), float) for n in names])
    # with both halves of FEATURES, an added feature comes with its brief-relative column too
    return np.column_stack([x, added, brief_relative(added)] if relative_too else [x, added])


def leave_one_out(briefs: list[fs.Brief], *, parts: int = 0, feats: tuple[str, ...] = (), lam: float = 0.7,
                  redundant: float = 0.8, k_sqrt: float = 0.0, columns: str = "all", c: float = 0.03,
                  own_share: float = 0.5, direction: str = SHIPPED, pairwise: bool = False, diversity: str = "",
                  cap: int = 0, leans: str = "", scored: int | None = None,
                  bare_only: bool = False) -> list[tuple[int, int, int]]:
    """Per brief: key points covered, bullets, bullets on a key point (``fit_summary.covered``'s shape).
    ``columns``: "all" (``FEATURES``), "raw" (``RAW_FEATURES``: the engine before candidate P) or
    "relative" (the brief-relative half only: candidate P1); ``c``: the regularisation; ``direction``:
    "lrC" or "rocchio": the nested key-sentence direction that fills the ``direction`` columns (default
    the shipped one; "" leaves them 0: the engine before candidate Y2, P2); ``scored``: only the first
    ``scored`` briefs are left out and scored, the others only train every fold (the eighth pass's
    ``--extra`` briefs; None: all are scored); ``bare_only``: ``diversity`` and ``cap`` apply only to briefs
    without a summary of their own (the ninth pass's D1' and K'), the others are chosen as the base chooses."""
    k = len(RAW_FEATURES)
    names, cut = {"all": (FEATURES, slice(None)), "raw": (RAW_FEATURES, slice(0, k)),
                  "relative": (FEATURES[k:], slice(k, None))}[columns]
    both = columns == "all"
    xs = [extra_features(b, feats, cut, relative_too=both) for b in briefs]
    added = feats + tuple(f"brief_{f}" for f in feats) if both else feats
    nested = direction_columns(briefs, direction) if direction else None
    saved = fs.FEATURES, ck.SUMMARY_MMR_LAMBDA, ck.REDUNDANT, ck.OWN_SUMMARY_SHARE
    fs.FEATURES, ck.SUMMARY_MMR_LAMBDA, ck.REDUNDANT = names + added, lam, redundant
    ck.OWN_SUMMARY_SHARE = own_share
    try:
        rows = []
        for k, b in enumerate(briefs[:scored]):
            fold = xs
            if nested is not None:
                fold = [fs.with_direction(xs[j], nested[k][j], names + added) for j in range(len(briefs))]
            others = [fs.Brief(o.qid, o.found, fold[j], o.hits, o.points) for j, o in enumerate(briefs) if j != k]
            score = (fit_pairwise(others, c) if pairwise else fs.fit(others, c)).score(fold[k])
            n = ck.points_count(b.found)
            if k_sqrt:
                n = int(min(ck.points_cap(len(b.found.units)), max(ck.MIN_POINTS, round(k_sqrt * np.sqrt(len(b.found.units))))))
            spread = not (bare_only and b.found.own_summary.any())
            chosen = sv.select(b.found, score, n, parts=parts, diversity=diversity if spread else "",
                               cap=cap if spread else 0, leans=leans)
            index = {id(u): i for i, u in enumerate(b.found.units)}
            hit_sets = [b.hits[index[id(u)]] for u in chosen]
            rows.append((len(set().union(*hit_sets)) if hit_sets else 0, len(chosen), sum(bool(h) for h in hit_sets)))
        return rows
    finally:
        fs.FEATURES, ck.SUMMARY_MMR_LAMBDA, ck.REDUNDANT, ck.OWN_SUMMARY_SHARE = saved


def line(label: str, rows: list[tuple[int, int, int]], briefs: list[fs.Brief]) -> str:
    kp = [r[0] for r in rows]
    bullets, hits = sum(r[1] for r in rows), sum(r[2] for r in rows)
    return (f"{label:22s} mean key points {np.mean(kp):.2f}, >= 3 {sum(k >= 3 for k in kp)}/{len(kp)}, bullets "
            f"{bullets / len(kp):.2f}, precision {hits / bullets:.3f}, halves {np.mean(kp[0::2]):.2f} / "
            f"{np.mean(kp[1::2]):.2f} | " + " ".join(f"{b.qid}:{k}" for b, k in zip(briefs, kp)))


def run(label: str, briefs: list[fs.Brief], *, columns: str = "all", c: float = 0.03,
        direction: str = SHIPPED, scored: int | None = None) -> list[tuple[int, int, int]]:
    """The rows of one variant named as in the module docstring (``items`` prefixes are stripped by the caller)."""
    if label in ("base", "items"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction)
    if label == "relative":
        return leave_one_out(briefs, scored=scored, columns="relative", c=c, direction=direction)
    if label.startswith("parts"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, parts=int(label[5:]))
    if label.startswith("lam"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, lam=float(label[3:]))
    if label.startswith("red"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, redundant=float(label[3:]))
    if label.startswith("sqrt"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, k_sqrt=float(label[4:]))
    if label.startswith("own"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, own_share=float(label[3:]))
    if label.startswith("bare:"):  # the ninth pass: bare:div:sections, bare:cap2
        inner = label[5:]
        if inner.startswith("div:"):
            return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction,
                                 diversity=inner[4:], bare_only=True)
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, cap=int(inner[3:]),
                             bare_only=True)
    if label.startswith("div:"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, diversity=label[4:])
    if label in ("J1", "J2"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, leans=label)
    if label.startswith("cap"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, cap=int(label[3:]))
    if label == "pairwise":
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, pairwise=True)
    if label in ("rocchio",) or label.startswith("lr"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=label)
    if label.startswith("feat:"):
        return leave_one_out(briefs, scored=scored, columns=columns, c=c, direction=direction, feats=tuple(label[5:].split("+")))
    raise ValueError(f"unknown variant {label!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.summary_experiments", description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="+", metavar="QUESTIONS STORE", help="question file and its store, repeated")
    parser.add_argument("--variants", default="base,parts2,parts3,parts4,feat:background,feat:section_lead,lam0.5,"
                        "lam0.6,lam0.8,red0.6,red0.7,feat:caps,sqrt0.8,sqrt0.9,sqrt1.0,feat:bonus,feat:stigma,"
                        "feat:bonus+stigma,feat:para,items,items+feat:item",
                        help="comma-separated variants (module docstring)")
    parser.add_argument("--raw", action="store_true",
                        help="the raw features only (RAW_FEATURES): the engine the candidates before P were measured on")
    parser.add_argument("--c", type=float, default=0.03, help="the logistic regression's C (default 0.03)")
    parser.add_argument("--no-direction", action="store_true",
                        help="leave the learned direction feature 0: the engine before candidate Y2 (P2), against which "
                             "the sixth pass's candidates were measured (implied by --raw)")
    parser.add_argument("--extra", nargs="+", default=[], metavar="QUESTIONS STORE",
                        help="more question files and stores (pairs) whose briefs only train every fold, never scored "
                             "(the eighth pass's candidate T)")
    args = parser.parse_args(argv)
    if len(args.extra) % 2:
        parser.error(f"give --extra question files and stores in pairs (got {len(args.extra)} paths)")
    if len(args.pairs) % 2:
        parser.error(f"give question files and stores in pairs (got {len(args.pairs)} paths)")
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    direction = "" if args.raw or args.no_direction else SHIPPED

    def read(pairs: list[str], rule=None) -> list[fs.Brief]:
        out: list[fs.Brief] = []
        for questions, store in zip(pairs[::2], pairs[1::2]):
            if not Path(store).is_dir():
                parser.error(f"store {store} does not exist (build it with python -m bench.analyst_corpus)")
            out += fs.load_briefs(Path(questions), Path(store), SPLITS, rule=rule)
        return out

    scored = read(args.pairs)
    briefs = scored + read(args.extra)
    for variant in (v for v in variants if v.split("+")[0] not in ("items", "NP")):
        rows = run(variant, briefs, columns="raw" if args.raw else "all", c=args.c, direction=direction,
                   scored=len(scored))
        print(line(variant, rows, scored), flush=True)
    for prefix, rule in (("items", sv.list_item), ("NP", sv.no_note_paragraph)):
        if not any(v.split("+")[0] == prefix for v in variants):
            continue
        again = read(args.pairs, rule)  # the briefs read again with the candidate's unit rule
        for variant in (v for v in variants if v.split("+")[0] == prefix):
            label = variant.removeprefix(prefix + "+") if "+" in variant else "base"
            print(line(variant, run(label, again, columns="raw" if args.raw else "all", c=args.c, direction=direction), again), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
