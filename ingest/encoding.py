"""Decode the bytes of a text file strictly, or say in plain words why they are not text.

Byte-order marks decide first (UTF-8, UTF-16, UTF-32). Without one the bytes must be UTF-8,
or else a legacy encoding: the one the user stated for the file, or one found by
charset-normalizer. Nothing is ever dropped or replaced: every decode is strict, and a file
that is UTF-8 with a few broken sequences is refused with the offset of the first bad byte
instead of being decoded as cp1252 mojibake.

Legacy code pages are ambiguous: cp1252, cp1254 and cp1257 all decode a Turkish file without
an error, and differ only in a few letters. The language charset-normalizer detects is the
evidence that decides (``_decode_legacy``); where it does not, the file is read with the usual
preference and a warning names the file and the other candidates.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

import charset_normalizer
from charset_normalizer.constant import FREQUENCIES

logger = logging.getLogger(__name__)

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# A well-formed UTF-8 multibyte sequence (Unicode 15, table 3-7), or a lead byte followed by
# some of its continuation bytes and then cut short (a truncated character).
_UTF8_GROUP = re.compile(
    rb"(?P<valid>[\xC2-\xDF][\x80-\xBF]"
    rb"|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}|\xED[\x80-\x9F][\x80-\xBF]"
    rb"|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2})"
    rb"|(?P<truncated>[\xE0-\xEF][\x80-\xBF]|[\xF0-\xF4][\x80-\xBF]{1,2})"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))

# Undecodable bytes are taken for errors in UTF-8 text when UTF-8-shaped groups are at least
# half as many as the other high bytes. Legacy text holds such groups only by chance (cp1252
# "ß" then "”" is DF 94), far fewer than its accented letters; UTF-8 text with a stray byte
# or a cut-off character holds many well-formed ones and few or no others.
_UTF8_EVIDENCE_FACTOR = 2
_FEW_BAD = 3  # this many undecodable places or more, outnumbering the good characters, is not UTF-8

# Control characters other than tab, line breaks and form feed; a share above this is binary.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.05

# Preferred among plausible legacy encodings: the most common one for Western text (and the
# WHATWG default for content labelled latin-1). charset-normalizer's chaos score is noisy on
# short texts, so cp1252 wins when it is within this margin of the least chaotic candidate;
# where it makes real mess (Czech, Polish, Cyrillic) charset-normalizer does not offer it.
_PREFERRED_LEGACY = "cp1252"
_PREFERENCE_MARGIN = 0.2


def decode_text(data: bytes, *, stated: str | None = None, source: str = "") -> tuple[str, str]:
    """Decode ``data`` strictly; return ``(text, encoding name)``.

    ``stated`` is the encoding the user gave for the file (sidecar ``encoding`` or
    ``--encoding``): it is used for bytes that are not Unicode (no byte-order mark, not UTF-8)
    instead of detection. ``source`` names the file in the warning about an ambiguous encoding.

    Raises ValueError with a reason meant for a person when the bytes are empty,
    whitespace only, binary, fit no encoding without loss, or do not fit the stated one.
    """
    if not data:
        raise ValueError("file is empty")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], codec, name, offset=len(bom))
            return _checked(text), name
    if b"\x00" in data:
        raise ValueError("looks like binary data, not text")
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        if _looks_like_utf8(data):
            raise ValueError(f"invalid UTF-8 at byte {exc.start}") from None
    if stated:
        name = canonical_encoding(stated)
        return _checked(_strict(data, name, name)), name
    text, name = _decode_legacy(data, source=source)
    logger.debug("decoded as legacy encoding %s", name)
    return _checked(text), name


def _strict(data: bytes, codec: str, name: str, *, offset: int = 0) -> str:
    """``data`` decoded; ``offset``: the bytes before it in the file (a byte-order mark), so that an error names the
    file's own byte ("invalid UTF-8 at byte 3" for a stray byte after the UTF-8 mark, not "invalid UTF-8-SIG at
    byte 0")."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        label = "UTF-8" if name == "utf-8-sig" else name.upper()
        raise ValueError(f"invalid {label} at byte {exc.start + offset}") from None


def _looks_like_utf8(data: bytes) -> bool:
    """Whether undecodable bytes are errors in UTF-8 text rather than legacy text."""
    groups = [m.end() - m.start() for m in _UTF8_GROUP.finditer(data)]
    stray = len(data) - len(data.translate(None, _HIGH_BYTES)) - sum(groups)
    if not (groups and len(groups) * _UTF8_EVIDENCE_FACTOR >= stray):
        return False
    # Legacy multibyte text (Shift_JIS kanji, whose lead and trail bytes often look like UTF-8
    # by chance) fails as UTF-8 at most of its characters; UTF-8 with a few broken bytes at few.
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    good = sum(not ch.isascii() for ch in decoded) - bad
    return bad < _FEW_BAD or good >= bad


def canonical_encoding(name: str) -> str:
    """Python's name for the encoding ``name`` ("windows-1254" -> "cp1254"); ValueError if unknown."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}") from None


def is_unicode(data: bytes) -> bool:
    """Whether ``data`` starts with a byte-order mark or is valid UTF-8 (a stated legacy encoding does not apply)."""
    if any(data.startswith(bom) for bom, _, _ in _BOMS):
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# The legacy code pages written for each language charset-normalizer can detect (Windows and
# ISO 8859 pages; KOI8 for Cyrillic): candidates besides those charset-normalizer offers, since
# it leaves out the right one when another reads the bytes with less "chaos" (cp1254 Turkish).
_LANGUAGE_CODE_PAGES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("English", "German", "French", "Dutch", "Italian", "Spanish", "Portuguese", "Swedish",
                     "Norwegian", "Danish", "Finnish", "Indonesian"), ("cp1252", "iso8859_15")),
    **dict.fromkeys(("Polish", "Czech", "Slovak", "Hungarian", "Croatian", "Slovene"), ("cp1250", "iso8859_2")),
    "Romanian": ("cp1250", "iso8859_16"),
    **dict.fromkeys(("Russian", "Bulgarian", "Serbian", "Kazakh"), ("cp1251", "koi8_r", "iso8859_5")),
    "Ukrainian": ("cp1251", "koi8_u", "iso8859_5"),
    "Turkish": ("cp1254", "iso8859_9"),
    "Greek": ("cp1253", "iso8859_7"),
    **dict.fromkeys(("Lithuanian", "Estonian"), ("cp1257", "iso8859_13")),
    "Hebrew": ("cp1255", "iso8859_8"),
    **dict.fromkeys(("Arabic", "Farsi"), ("cp1256",)),
    "Vietnamese": ("cp1258",),
    "Thai": ("cp874",),
}
_PAGE_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _language, _pages in _LANGUAGE_CODE_PAGES.items():
    for _page in _pages:
        _PAGE_LANGUAGES.setdefault(codecs.lookup(_page).name, ())
        _PAGE_LANGUAGES[codecs.lookup(_page).name] += (_language,)
# The letters beyond ASCII of the Latin-script alphabets (charset-normalizer's tables list only
# each language's 26 most frequent letters, which leaves out Turkish "ö", German "ß" ...).
_LATIN_LETTERS = {
    "German": "äöüß", "French": "àâæçéèêëîïôœùûüÿ", "Dutch": "éëïóöü", "Italian": "àèéìíîòóù",
    "Spanish": "áéíñóúü", "Portuguese": "áâãàçéêíóôõú", "Swedish": "åäöé", "Norwegian": "æøåé", "Danish": "æøåé",
    "Finnish": "äöåšž", "Polish": "ąćęłńóśźż", "Czech": "áčďéěíňóřšťúůýž", "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű", "Croatian": "čćđšž", "Slovene": "čšž", "Romanian": "ăâîșțşţ", "Turkish": "çğıöşüâîû",
    "Lithuanian": "ąčęėįšųūž", "Estonian": "äöõüšž", "Vietnamese": "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
}
# A reading fits the language charset-normalizer detects better than another by this much to be
# preferred (besides fitting a language of its code page; 0..1), and must beat every rival by
# _LANGUAGE_MARGIN to decide; rivals charset-normalizer finds clearly more chaotic (by
# _CHAOS_TOLERANCE) do not count. Set by reasoning about the scale, not fitted to test inputs.
_DETECTED_BONUS = 0.1
_LANGUAGE_MARGIN = 0.1
_CHAOS_TOLERANCE = 0.05
_C1_CONTROLS = re.compile(r"[\x80-\x9f]")


def _decode_legacy(data: bytes, *, source: str = "") -> tuple[str, str]:
    """Decode with the legacy encoding the evidence favours.

    1. Candidates: charset-normalizer's (cp1252 first when within a margin of the least chaos:
       the most common Western page; chaos scores are noisy on short texts), then the code pages
       of the language it detects.
    2. Evidence: each reading is scored by how well its non-ASCII letters fit the alphabet of a
       language its code page is written for (the share of them in that alphabet), plus a bonus
       when that language is the detected one. "Dönüşüm" read as cp1254 is Turkish throughout;
       read as cp1252 it is "Dönüþüm", whose "þ" no cp1252 language in the table has.
    3. The best reading wins when it beats every other reading (of different text, not clearly
       more chaotic) by ``_LANGUAGE_MARGIN``. Otherwise the usual choice (step 1's first) stands,
       and a warning names the file and the readings that fit as well.

    A heuristic over letters, not words: two pages of the same script (cp1251 and KOI8-R) fit
    alike, and are told apart by charset-normalizer's chaos score alone.
    """
    matches = [m for m in charset_normalizer.from_bytes(data) if not m.encoding.startswith(("utf", "ascii"))]
    if not matches:
        raise ValueError("not valid UTF-8 and no single-byte encoding fits")
    least = min(m.chaos for m in matches)
    chaos = {codecs.lookup(m.encoding).name: m.chaos for m in matches}
    names = [m.encoding for m in matches]
    if any(_PREFERRED_LEGACY in m.could_be_from_charset and m.chaos <= least + _PREFERENCE_MARGIN for m in matches):
        names.insert(0, _PREFERRED_LEGACY)
        chaos.setdefault(_PREFERRED_LEGACY, least)
    language = _detected_language(matches)
    names += list(_LANGUAGE_CODE_PAGES.get(language, ()))
    readings: dict[str, str] = {}
    for name in dict.fromkeys(names):
        try:
            # charset-normalizer looks at samples of big files: decode all of it to be sure.
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _C1_CONTROLS.search(text):  # no real text holds C1 control characters
            readings.setdefault(codecs.lookup(name).name, text)
    if not readings:
        raise ValueError("not valid UTF-8 and no single-byte encoding fits")
    usual = next(iter(readings))
    fits = {name: _page_fit(text, name, language) for name, text in readings.items()}
    best = max(readings, key=lambda name: (fits[name], name == usual))
    base = chaos.get(best, least)

    def rival(name: str) -> bool:
        return (readings[name] != readings[best] and fits[name] > fits[best] - _LANGUAGE_MARGIN
                and chaos.get(name, base) <= base + _CHAOS_TOLERANCE)

    rivals = [name for name in readings if rival(name)]
    if not rivals:
        if best != usual:
            logger.info("%s: read as %s, not %s: its letters fit %s", source or "a file", best, usual,
                        " or ".join(_PAGE_LANGUAGES.get(best, ())))
        return readings[best], best
    chosen = usual if usual == best or usual in rivals else best
    others = [name for name in [best, *rivals] if name != chosen]
    logger.warning(
        "%s: the encoding is ambiguous: read as %s, but %s would read it differently and fit%s as well; "
        "state the right one with an \"encoding\" key in %s.meta.json, or with --encoding",
        source or "a file", chosen, ", ".join(others), "" if len(others) > 1 else "s",
        (source.rsplit("/", 1)[-1] if source else "NAME.EXT"))
    return readings[chosen], chosen


def _detected_language(matches: list) -> str:
    """The language most of charset-normalizer's candidates report ("" when none does)."""
    votes: dict[str, int] = {}
    for match in matches:
        if match.language and match.language != "Unknown":
            votes[match.language] = votes.get(match.language, 0) + 1
    return max(votes, key=lambda language: votes[language]) if votes else ""


def _alphabet(language: str) -> set[str]:
    return set(FREQUENCIES.get(language, ())) | set(_LATIN_LETTERS.get(language, ""))


_WORD = re.compile(r"[^\W\d_]+")


def _odd_word_share(text: str) -> float:
    """Share of the words with non-ASCII letters that no language writes: case flipping from lower
    to upper inside the word ("оПЮБХРЕКЭЯРБН": Cyrillic read with the wrong Cyrillic page), or
    letters of two scripts in one word ("Cafι": a Latin word read with a Greek page). Mojibake's marks."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 0.0

    def odd(word: str) -> bool:
        scripts = {unicodedata.name(ch, "?").split(" ", 1)[0] for ch in word}
        return len(scripts) > 1 or any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))

    return sum(map(odd, words)) / len(words)


def _page_fit(text: str, page: str, detected: str) -> float:
    """How well the non-ASCII letters of ``text`` (read as ``page``) fit a language of that page:
    the best share of them in one such language's alphabet, plus ``_DETECTED_BONUS`` when that
    language is ``detected``, scaled down by the share of words no language writes (``_odd_word_share``).
    0 for a page not in the table; 1 (+ bonus) for text without such letters."""
    letters = [c.lower()[:1] for c in text if not c.isascii() and c.isalpha()]
    best = 0.0
    for language in _PAGE_LANGUAGES.get(page, ()):
        alphabet = _alphabet(language)
        share = sum(c in alphabet for c in letters) / len(letters) if letters else 1.0
        best = max(best, share + (_DETECTED_BONUS if language == detected else 0.0))
    return best * (1 - _odd_word_share(text))


def _checked(text: str) -> str:
    if not text:
        raise ValueError("file is empty")
    if not text.strip():
        raise ValueError("contains only whitespace")
    if "\x00" in text or len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise ValueError("looks like binary data, not text")
    return text
