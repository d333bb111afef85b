"""Decode the bytes of a text file strictly, or say in plain words why they are not text.

Byte-order marks decide first (UTF-8, UTF-16, UTF-32). Without one the bytes must be UTF-8,
or else a legacy encoding found by charset-normalizer. Nothing is ever dropped or replaced:
every decode is strict, and a file that is UTF-8 with a few broken sequences is refused with
the offset of the first bad byte instead of being decoded as cp1252 mojibake.
"""

from __future__ import annotations

import codecs
import logging
import re

import charset_normalizer

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

# Control characters other than tab, line breaks and form feed; a share above this is binary.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.05

# Preferred among plausible legacy encodings: the most common one for Western text (and the
# WHATWG default for content labelled latin-1). charset-normalizer's chaos score is noisy on
# short texts, so cp1252 wins when it is within this margin of the least chaotic candidate;
# where it makes real mess (Czech, Polish, Cyrillic) charset-normalizer does not offer it.
_PREFERRED_LEGACY = "cp1252"
_PREFERENCE_MARGIN = 0.2


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data`` strictly; return ``(text, encoding name)``.

    Raises ValueError with a reason meant for a person when the bytes are empty,
    whitespace only, binary, or fit no encoding without loss.
    """
    if not data:
        raise ValueError("file is empty")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], codec, name)
            return _checked(text), name
    if b"\x00" in data:
        raise ValueError("looks like binary data, not text")
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        if _looks_like_utf8(data):
            raise ValueError(f"invalid UTF-8 at byte {exc.start}") from None
    text, name = _decode_legacy(data)
    logger.debug("decoded as legacy encoding %s", name)
    return _checked(text), name


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ValueError(f"invalid {name.upper()} at byte {exc.start}") from None


def _looks_like_utf8(data: bytes) -> bool:
    """Whether undecodable bytes are errors in UTF-8 text rather than legacy text."""
    groups = [m.end() - m.start() for m in _UTF8_GROUP.finditer(data)]
    stray = len(data) - len(data.translate(None, _HIGH_BYTES)) - sum(groups)
    return bool(groups) and len(groups) * _UTF8_EVIDENCE_FACTOR >= stray


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode with the least chaotic legacy encoding that charset-normalizer finds."""
    matches = [m for m in charset_normalizer.from_bytes(data) if not m.encoding.startswith(("utf", "ascii"))]
    if not matches:
        raise ValueError("not valid UTF-8 and no single-byte encoding fits")
    least = min(m.chaos for m in matches)
    names = [m.encoding for m in matches]
    if any(_PREFERRED_LEGACY in m.could_be_from_charset and m.chaos <= least + _PREFERENCE_MARGIN for m in matches):
        names.insert(0, _PREFERRED_LEGACY)
    for name in names:
        try:
            # charset-normalizer looks at samples of big files: decode all of it to be sure.
            return data.decode(name), codecs.lookup(name).name
        except UnicodeDecodeError:
            continue
    raise ValueError("not valid UTF-8 and no single-byte encoding fits")


def _checked(text: str) -> str:
    if not text:
        raise ValueError("file is empty")
    if not text.strip():
        raise ValueError("contains only whitespace")
    if "\x00" in text or len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise ValueError("looks like binary data, not text")
    return text
