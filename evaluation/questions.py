"""Question files (JSONL or CSV) parsed into frozen question records.

Fields of a row: ``question`` (required), ``id``, ``answers`` (acceptable answer strings),
``references`` (``{source, start, end}`` spans or ``{source, text}`` passages; ``source`` may
be omitted with ``text``), ``history`` (earlier exchanges), ``unanswerable`` and ``type`` (the
group the report breaks metrics down by). A follow-up may set ``replay`` (the history's questions
are asked first and their answers passed on, as in the chat) and ``interpreted_as`` (phrases its
standalone question must hold, "a | b" for either: scored as ``interpreted``). In CSV the list fields are JSON strings.

The chunking benchmark's CSV is read as it is: its references carry ``start_index``,
``end_index`` and ``content``, and the row's ``corpus_id`` names their source (and its type).

A bad row does not stop the others: it becomes a ``RowError`` naming the file and line, which
the runner records as a failed question.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

from answer.types import Turn

SUFFIXES = (".jsonl", ".csv")


@dataclass(frozen=True)
class Reference:
    """Where an answer lies: a character span of a document, or a passage of text, or both."""

    source: str = ""  # document path relative to the ingested folder, or its stem; "" = any document
    start: int | None = None
    end: int | None = None
    text: str = ""

    @property
    def is_span(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass(frozen=True)
class Question:
    """One question to evaluate, with what counts as a right answer and where it lies."""

    id: str
    question: str
    answers: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    history: tuple[Turn, ...] = ()
    unanswerable: bool = False
    type: str = ""  # group for per-type metrics; see ``question_type``
    line: int = 0  # line of the file the row starts on
    key_points: tuple[Reference, ...] = ()  # a summary's marked key points, scored by the cited spans covering them
    briefs: tuple[str, ...] = ()  # sources the answer must draw on: every one cited (comparisons), none other
    split: str = ""  # "dev" (development and calibration) or "heldout"; figures are reported per split
    interpreted_as: tuple[str, ...] = ()  # phrases the standalone question must hold ("a | b": either)
    replay: bool = False  # ask the history's questions first and pass their answers, as the chat does


@dataclass(frozen=True)
class RowError:
    """A row that could not be read; it is reported as a failed question."""

    id: str
    line: int
    message: str  # names the file and line


@dataclass(frozen=True)
class QuestionSet:
    """Everything read from one question file, in file order."""

    path: Path
    questions: tuple[Question, ...]
    errors: tuple[RowError, ...] = ()

    def limit(self, n: int | None) -> "QuestionSet":
        """The first ``n`` rows of the file (good and bad alike)."""
        if n is None:
            return self
        if n < 0:
            raise ValueError(f"limit ({n}) must not be negative")
        lines = sorted([q.line for q in self.questions] + [e.line for e in self.errors])[:n]
        last = lines[-1] if lines else -1
        return QuestionSet(self.path, tuple(q for q in self.questions if q.line <= last),
                           tuple(e for e in self.errors if e.line <= last))


class QuestionFileError(ValueError):
    """The question file as a whole cannot be read (missing, wrong format, no question column)."""


class _RowProblem(ValueError):
    """A problem with one row; becomes a ``RowError``."""


def question_type(question: Question) -> str:
    """The group a question is reported under: its ``type`` field, else what kind of question it is."""
    if question.type:
        return question.type
    if question.unanswerable:
        return "unanswerable"
    return "follow-up" if question.history else "answerable"


def load_questions(path: str | Path) -> QuestionSet:
    """Read a ``.jsonl`` or ``.csv`` question file; bad rows become ``RowError``s."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise QuestionFileError(f"{path}: question files must be {' or '.join(SUFFIXES)}, not '{path.suffix}'")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise QuestionFileError(f"cannot read question file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise QuestionFileError(f"{path} is not UTF-8 text: {exc}") from exc
    rows = _jsonl_rows(text) if path.suffix.lower() == ".jsonl" else _csv_rows(text, path)
    return parse_rows(rows, path)


def parse_rows(rows: Iterator[tuple[int, dict[str, Any] | str]], path: Path) -> QuestionSet:
    """Questions from ``(line, row)`` pairs; a row given as a string is an error message for that line."""
    questions: list[Question] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        fallback_id = f"line-{line}"
        if isinstance(row, str):
            errors.append(RowError(fallback_id, line, f"{path} line {line}: {row}"))
            continue
        given_id = _given_id(row)
        try:
            question = _parse_row(row, line)
        except _RowProblem as exc:
            errors.append(RowError(given_id or fallback_id, line, f"{path} line {line}: {exc}"))
            continue
        if question.id in first_line:
            if given_id:
                errors.append(RowError(fallback_id, line, f"{path} line {line}: duplicate id {given_id!r} "
                                                               f"(first on line {first_line[question.id]})"))
                continue
            question = replace(question, id=_unique(question.id, first_line))
        first_line[question.id] = line
        questions.append(question)
    return QuestionSet(path, tuple(questions), tuple(errors))


def _given_id(row: dict[str, Any]) -> str:
    try:
        return _text_field(row.get("id"))
    except _RowProblem:
        return ""


def _unique(base: str, taken: dict[str, int]) -> str:
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    # split on "\n" only: str.splitlines would also cut at U+2028 and other breaks JSON strings may hold
    for number, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield number, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        yield number, row if isinstance(row, dict) else f"a row must be a JSON object, not {type(row).__name__}"


def _csv_rows(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "question" not in [f.strip() for f in reader.fieldnames]:
        raise QuestionFileError(f"{path}: the CSV header must have a 'question' column; found {reader.fieldnames}")
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, f"unreadable CSV ({exc})"
            return
        if None in row:
            yield line, f"{len(row[None])} more cells than the header has columns"
            continue
        cells = {key.strip(): value for key, value in row.items() if value is not None and value.strip() != ""}
        if not cells:
            continue
        try:
            yield line, _decode_csv_cells(cells)
        except _RowProblem as exc:
            yield line, str(exc)


def _decode_csv_cells(cells: dict[str, str]) -> dict[str, Any]:
    """CSV cells as JSON-like values: list fields are JSON; a plain ``answers`` cell is one answer."""
    row: dict[str, Any] = dict(cells)
    for name in ("answers", "references", "history"):
        if name not in cells:
            continue
        value = cells[name].strip()
        if name == "answers" and not value.startswith("["):
            row[name] = [value]
            continue
        try:
            row[name] = json.loads(value)
        except json.JSONDecodeError as exc:
            raise _RowProblem(f"'{name}' must be a JSON list ({exc.msg} at column {exc.colno})") from None
    return row


_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n", ""}


def _parse_row(row: dict[str, Any], line: int) -> Question:
    question = _text_field(row.get("question"))
    if not question:
        raise _RowProblem("'question' is missing or empty")
    corpus_id = _text_field(row.get("corpus_id"))
    answers = _answers(row.get("answers"))
    references = tuple(_reference(item, i, corpus_id) for i, item in enumerate(_list(row.get("references"), "references")))
    history = _history(row.get("history"))
    unanswerable = _flag(row.get("unanswerable"), "unanswerable")
    if unanswerable and (answers or references):
        raise _RowProblem("an unanswerable question cannot have answers or references")
    qid = _text_field(row.get("id")) or _derived_id(question, history)
    qtype = _text_field(row.get("type")) or corpus_id
    key_points = tuple(_reference(item, i, corpus_id) for i, item in enumerate(_list(row.get("key_points"), "key_points")))
    briefs = tuple(_text_field(b) for b in _list(row.get("briefs"), "briefs") if _text_field(b))
    split = _text_field(row.get("split"))
    interpreted_as = tuple(_text_field(p) for p in _list(row.get("interpreted_as"), "interpreted_as") if _text_field(p))
    replay = _flag(row.get("replay"), "replay")
    if replay and any(turn.answer for turn in history):
        raise _RowProblem("a replayed history is answered by the assistant: leave out its answers")
    return Question(qid, question, answers, references, history, unanswerable, qtype, line, key_points, briefs, split,
                    interpreted_as, replay)


def _derived_id(question: str, history: tuple[Turn, ...]) -> str:
    """A stable id for a row without one, so a rerun resumes even if rows move."""
    key = json.dumps([question, [(t.question, t.answer) for t in history]], ensure_ascii=False)
    return "q-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _text_field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _RowProblem(f"expected a string, got {type(value).__name__} {value!r}")
    return str(value).strip()


def _list(value: Any, name: str) -> list[Any]:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise _RowProblem(f"'{name}' must be a list, got {type(value).__name__} {value!r:.60}")
    return value


def _answers(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    answers = []
    for item in _list(value, "answers"):
        if not isinstance(item, (str, int, float)) or isinstance(item, bool):
            raise _RowProblem(f"every answer must be a string, got {item!r:.60}")
        if str(item).strip():
            answers.append(str(item).strip())
    return tuple(answers)


def _int_field(item: dict[str, Any], names: tuple[str, ...], position: int) -> int | None:
    for name in names:
        if item.get(name) is not None:
            value = item[name]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise _RowProblem(f"reference {position}: '{name}' must be a non-negative integer, got {value!r}")
            return value
    return None


def _reference(item: Any, position: int, corpus_id: str) -> Reference:
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        raise _RowProblem(f"reference {position} must be an object, got {item!r:.60}")
    source = _text_field(item.get("source")) or corpus_id
    start = _int_field(item, ("start", "start_index"), position)
    end = _int_field(item, ("end", "end_index"), position)
    text = item.get("text", item.get("content", ""))
    if not isinstance(text, str):
        raise _RowProblem(f"reference {position}: 'text' must be a string, got {text!r:.60}")
    if (start is None) != (end is None):
        raise _RowProblem(f"reference {position} needs both 'start' and 'end', got start={start} end={end}")
    if start is not None and end is not None:
        if start >= end:
            raise _RowProblem(f"reference {position}: start ({start}) must be smaller than end ({end})")
        if not source:
            raise _RowProblem(f"reference {position}: a span ({start}, {end}) needs a 'source'")
    elif not text.strip():
        raise _RowProblem(f"reference {position} needs 'start' and 'end' or a non-empty 'text'")
    return Reference(source, start, end, text)


def _history(value: Any) -> tuple[Turn, ...]:
    """Earlier exchanges from ``{question, answer}`` objects, ``{role, content}`` messages (a user
    message and the assistant message after it make one exchange) or alternating strings."""
    exchanges: list[Turn] = []
    pending: str | None = None  # a user message waiting for its reply
    for i, item in enumerate(_list(value, "history")):
        if isinstance(item, dict) and "question" in item:
            role, content = "pair", ""
        elif isinstance(item, dict) and "content" in item:
            role, content = (_text_field(item.get("role")) or "user"), _text_field(item["content"])
        elif isinstance(item, str):
            role, content = ("user" if i % 2 == 0 else "assistant"), item
        else:
            raise _RowProblem(f"history turn {i} must be a string, {{role, content}} or {{question, answer}}; "
                              f"got {item!r:.60}")
        if role not in ("pair", "user", "assistant"):
            raise _RowProblem(f"history turn {i}: role must be 'user' or 'assistant', got {role!r}")
        if role != "assistant" and pending is not None:
            exchanges.append(Turn(pending))
            pending = None
        if role == "pair":
            exchanges.append(Turn(_text_field(item["question"]), _text_field(item.get("answer"))))
        elif role == "user":
            pending = content
        elif pending is None:
            raise _RowProblem(f"history turn {i}: an assistant message must follow a user message")
        else:
            exchanges.append(Turn(pending, content))
            pending = None
    if pending is not None:
        exchanges.append(Turn(pending))
    return tuple(exchanges)


def _flag(value: Any, name: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _RowProblem(f"'{name}' must be true or false, got {value!r}")
