"""Sentence spans of a text: the units a passage is packed from and an answer quotes and cites.

One splitter for the ingest splitter and the answerer. Line breaks end sentences, except after
an abbreviation that never ends one ("the U.S.\nArmy", "Gen.\nMilley"): there the next line
continues the sentence, as a space would within a line. Within a line, full stops of scripts that need no space after them (Chinese and Japanese 。！？, the
Devanagari danda, the Arabic question mark) end sentences, then Punkt (with the abbreviations
briefs use) splits what is left.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

# Punkt without training data knows no abbreviations; these are the ones briefs use most (the
# second line: units, citations of reports and laws (public laws, the U.S. Code, House and Senate
# bills: "P.L. 111-5", "23 U.S.C. §301", "S. 2731", executive orders and regulations: "E.O. 14285",
# "21 C.F.R. § 251.2"; committee reports, documents and joint or concurrent resolutions: "H.Rept. 119-215",
# "S.Rept. 119-46", "H.J.Res. 5"), military ranks, as CRS reports write them).
_ABBREVIATIONS = (
    "u.s u.k u.n e.u d.c mr mrs ms dr prof gen lt col sen rep gov pres st jr sr inc ltd co corp vs etc "
    "e.g i.e no nos fig figs al approx dept est jan feb mar apr jun jul aug sep sept oct nov dec "
    "sq pp vol rept cong stat rev exec adm amb maj capt sgt brig cf h.r s.res h.res p.l u.s.c s e.o c.f.r "
    "h.rept s.rept h.doc s.doc h.prt s.prt h.j.res s.j.res h.con.res s.con.res"
)
# Abbreviations a paragraph may well end with ("..., and so on, etc."): a line break after them still ends it.
_MAY_END = {"etc"}
_LINE = re.compile(r"[^\n]+")
# the last word of a line or sentence; "/" opens one too: a companion bill "S. 1272/H.R. 2665"
_LAST_WORD = re.compile(r"(?:^|[\s(\[“\"'/])([A-Za-z][A-Za-z.]*)\.$")
_OPENS_ITEM = re.compile(r"\s*(?:[•▪●◦‣∙·\-–—*]|\d{1,2}[.)]\s)")


def ends_with_abbreviation(line: str) -> bool:
    """Whether ``line`` ends with an abbreviation of the splitter's list that does not end a sentence
    ("... the U.S.", "Gen."), so that a line break after it continues the sentence."""
    match = _LAST_WORD.search(line.rstrip())
    if not match:
        return False
    word = match.group(1).lower()
    return word in _tokenizer()._params.abbrev_types and word not in _MAY_END
# A full stop that ends a sentence without a following space, with the closing quotes and
# brackets after it: 。！？ (and their half-width forms), ！？ full-width, danda, Arabic "؟" and "۔".
_UNSPACED_STOP = re.compile(r"[。｡！？।॥؟۔]+[」』”’）】〕》〉\"')\]]*")
# A note number set as a superscript right after a sentence's full stop, the next sentence after it
# ("... UI eligibility.62 Therefore, states ..."): PDF text has no space between stop and number, so
# Punkt sees one word. The sentence ends after the number (which stays with it, as printed).
_NOTE_AFTER_STOP = re.compile(r"(?<=[a-z%)\]”\"’])[.!?][”\"’)]*\d{1,3}(?=\s+[A-Z“\"])")


# A note number printed in the line after a sentence's full stop and a space, before the next
# sentence ("... about 130 each day. 1 As of April 7, ..."): it belongs to neither sentence, so the
# next one starts after it. Not before a reporter abbreviation ("... (2025). 21 C.F.R. § 251.2"),
# where the number is the title's. A heuristic: read on the 69 CRS reports (README, sentence splitter).
_NOTE_OPENING = re.compile(r"\d{1,3}\s+(?=[A-Z“\"])(?!C\.\s?F\.\s?R\.|U\.\s?S\.\s?C\.|U\.S\.\s|Stat\.|Fed\.\s?Reg\.|F\.R\.|FR\s)")
_AFTER_STOP = re.compile(r"[a-z%)\]”\"’][.!?][”\"’)]*\s$")


# A line that opens with a note number: ingest writes a brief's notes after its body, one per line
# ("2 Robert Beckman et al., ...", "35 46 U.S.C. §53103(d).", "37 U.S. Department of Transportation, ...").
_NOTE_LINE = re.compile(r"\d{1,3}\s+(?=[A-Z“\"\d§(])")


def note_after_stop(text: str, start: int, end: int) -> int:
    """Where the sentence at ``text[start:end]`` begins when it opens with a note number set after the full
    stop before it ("... (Figure 4). 164 In addition, ..." with ``start`` at "164" -> the offset of "In"),
    the rule ``sentence_spans`` cuts such a number off by (``_NOTE_OPENING`` after ``_AFTER_STOP``); 0 when
    it does not."""
    note = _NOTE_OPENING.match(text, start, end)
    if note is None or note.end() >= end or not _AFTER_STOP.search(text, max(0, start - 8), start):
        return 0
    return note.end()


def opens_with_note_number(line: str) -> bool:
    """Whether a whole line (a paragraph as stored) opens with a note number before its text: a note,
    not body text. A heuristic: over 31 stored briefs (the nine CRS reports of a newcomer's trial and
    four question-set stores), 94 distinct lines open with one to three digits and a space, all of them
    notes (read). Unlike a sentence start inside a paragraph (``_NOTE_OPENING``), a line's opening number
    is the note's even before a statute's title number ("35 46 U.S.C. ...")."""
    return _NOTE_LINE.match(line.strip()) is not None


def is_question(text: str) -> bool:
    """Whether ``text`` ends as a question ("What Funding Did the GAOA Provide the LRF?"), closing quotes
    and brackets aside: it asks, it states nothing, so it is no claim, no point and no advice."""
    return text.rstrip(" ”\"’')").endswith("?")


@lru_cache(maxsize=1)
def _tokenizer():
    # nltk's package init imports its scikit-learn wrappers, which it treats as optional (each
    # behind ``except ImportError``); Punkt needs none of them, and scikit-learn would bring SciPy
    # and pandas: about 100 MB resident and 1-2 s in the ingest (docs/benchmarks.md). So
    # scikit-learn is unavailable while nltk loads, unless something has imported it already (in
    # this process nltk's scikit-learn classifier wrapper then lacks it; nothing of ours uses it).
    hidden = "sklearn" not in sys.modules
    if hidden:
        sys.modules["sklearn"] = None  # type: ignore[assignment]  # the import system's "not available"
    try:
        from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer  # nltk's import is slow
    finally:
        if hidden and "sklearn" in sys.modules and sys.modules["sklearn"] is None:
            del sys.modules["sklearn"]

    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS.split())
    return PunktSentenceTokenizer(params)


def _clauses(line: str) -> list[tuple[int, int]]:
    """``line`` cut after each unspaced full stop (the pieces keep their stop)."""
    pieces, start = [], 0
    for match in _UNSPACED_STOP.finditer(line):
        pieces.append((start, match.end()))
        start = match.end()
    if start < len(line):
        pieces.append((start, len(line)))
    return pieces


def _lines(text: str, begin: int, end: int) -> list[tuple[int, str]]:
    """``(start, text)`` of the lines of ``text[begin:end]``, a line that ends with an abbreviation
    joined to the next one (unless a list item follows, or a blank line does and the next line opens
    with no lower-case letter)."""
    lines: list[tuple[int, str]] = []
    joined = False  # the line before continues into this one
    last_end = -1
    for match in _LINE.finditer(text, begin, end):
        line = match.group()
        gap = text[last_end:match.start()]
        # a single line break, or a blank line (a PDF page break) before a line that goes on in lower case
        # ("a U.S.\n\nsubsidiary of ..."): the sentence continues
        if joined and (gap == "\n" or (gap.strip() == "" and line[:1].islower())) and line.strip() \
                and not _OPENS_ITEM.match(line):
            start = lines[-1][0]
            lines[-1] = (start, text[start:match.end()])
        else:
            lines.append((match.start(), line))
        joined, last_end = ends_with_abbreviation(line), match.end()
    return lines


def sentence_spans(text: str, begin: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence of ``text[begin:end]``, as offsets in ``text``.

    Spans are trimmed of surrounding whitespace, so ``text[start:end]`` is the sentence itself.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    tokenizer = _tokenizer()
    for line_start, line in _lines(text, begin, end):
        for c_start, c_end in _clauses(line):
            clause = line[c_start:c_end]
            offset = line_start + c_start
            for s, e in _slash_joins(clause, _note_cuts(clause, _lettered_cuts(clause, tokenizer.span_tokenize(clause)))):
                piece = clause[s:e]
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece) - len(piece.rstrip())
                if e - s - lead - trail > 0:
                    spans.append((offset + s + lead, offset + e - trail))
    return spans


# A part of a law or a document named by one capital letter ("P.L. 119-74, Division C.", "Medicare Part D.",
# "Appendix A."): Punkt reads the letter as a person's initial and never ends a sentence there. Before a
# capitalised word it ends one, inside a sentence only (after a lower-case word or a comma: "Appendix A. Table of
# Common Abbreviations" opening a line is a heading). A heuristic; the labels are the ones laws and reports
# number parts with.
_LETTERED_PART = re.compile(
    r"(?<=[a-z,;] )(?:Division|Subdivision|Title|Subtitle|Part|Subpart|Chapter|Subchapter|Article|Section|Appendix|Annex|"
    r"Attachment|Exhibit|Schedule|Table|Figure|Tier|Phase|Option|Plan|Category|Class|Group|Zone)\s[A-Z]\."
    r"(?=\s+[A-Z“\"])")


def _lettered_cuts(clause: str, spans) -> list[tuple[int, int]]:
    """Punkt's ``spans`` of ``clause`` cut again after each part named by a letter (``_LETTERED_PART``)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        for match in _LETTERED_PART.finditer(clause, s, e):
            out.append((s, match.end()))
            s = match.end()
        out.append((s, e))
    return out


def _note_cuts(clause: str, spans) -> list[tuple[int, int]]:
    """Punkt's ``spans`` of ``clause`` cut again after each note number glued to a full stop; a
    sentence opening with a note number set after the previous one's stop starts after it."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        note = _NOTE_OPENING.match(clause, s, e)
        if note is not None and _AFTER_STOP.search(clause, max(0, s - 8), s) and note.end() < e:
            s = note.end()
        for match in _NOTE_AFTER_STOP.finditer(clause, s, e):
            out.append((s, match.end()))
            s = match.end()
        out.append((s, e))
    return out


_SLASHED_LAST = re.compile(r"/[A-Za-z][A-Za-z.]*\.$")
_GOES_ON = re.compile(r"[a-z0-9§(]")
# a piece that is one capital letter and a full stop, after at most a list item's bullet: an initial, never a
# sentence ("• E. (Kika) de la Garza Emerging Markets Program ...": Punkt breaks before the bracket)
_LONE_INITIAL = re.compile(r"(?:[•▪●◦‣∙·\-–—*]\s*)?[A-Z]\.")
# an abbreviation right after an opening curly quote or bracket ("Source: “U.S. Army plans ...,” Army Recognition"):
# Punkt strips straight quotes from a word before it looks the word up, but not curly ones, so "“U.S." reads as a
# sentence's end
_OPENED_ABBREVIATION = re.compile(r"[“‘(\[][A-Za-z][A-Za-z.]*\.$")


def _slash_joins(clause: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with a sentence cut after an abbreviation of the list joined to the next one: after an
    abbreviation behind a slash ("S. 1272/H.R."; Punkt reads "1272/H.R." as one word, not the abbreviation
    it ends with), and after any of them when the next piece goes on in lower case, with a digit, "§" or
    "(" ("(42 U.S.C. 6294a(c)).” H.Rept. ...": Punkt breaks after "U.S.C." when a closing quote follows the
    sentence's full stop); after one glued to an opening curly quote or bracket (``_OPENED_ABBREVIATION``); and
    after a lone initial (``_LONE_INITIAL``: "• E." of "• E. (Kika) de la Garza ...")."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        before = clause[out[-1][0]:out[-1][1]].strip() if out else ""
        slashed = _SLASHED_LAST.search(before) if before else None
        opened = _OPENED_ABBREVIATION.search(before) if before else None
        if (slashed and ends_with_abbreviation(slashed.group())) or _LONE_INITIAL.fullmatch(before) or (
                opened and ends_with_abbreviation(opened.group())) or (
                before and ends_with_abbreviation(before) and _GOES_ON.match(clause, s)):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
