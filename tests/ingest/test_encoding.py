"""decode_text: byte-order marks, UTF-8, legacy encodings, and refusals with a reason."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.encoding import decode_text

TEXT = "Kim’s “café” policy — naïve?\r\nSecond line.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le"),
    ],
)
def test_unicode_encodings_decode_exactly_and_drop_only_the_bom(data: bytes, encoding: str) -> None:
    assert decode_text(data) == (TEXT, encoding)


def test_cp1252_legacy_text_decodes_accents_and_curly_quotes() -> None:
    data = b"The caf\xe9 owner said \x93we are open\x94 \x96 and meant it.\r\n"
    assert decode_text(data) == ("The café owner said “we are open” – and meant it.\r\n", "cp1252")


def test_latin1_german_text_decodes_as_cp1252() -> None:
    text = "Grüße aus Köln: Straße, Größe, Übermaß."
    assert decode_text(text.encode("latin-1")) == (text, "cp1252")


def test_cyrillic_legacy_text_is_not_forced_into_cp1252() -> None:
    text = "Правительство утвердило бюджет на следующий год."
    assert decode_text(text.encode("cp1251")) == (text, "cp1251")


def test_legacy_text_with_a_chance_utf8_looking_pair_stays_legacy() -> None:
    # "ß" then "”" is DF 94 in cp1252, a well-formed UTF-8 pair by chance.
    text = "Er sagte „Straß” und ÄÖÜ überall, schöne Grüße."
    assert decode_text(text.encode("cp1252")) == (text, "cp1252")


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        ("naïve “quotes” here ".encode() + b"\xff and more", len("naïve “quotes” here ".encode())),
        (b"plain start " + "é".encode() + b" then cut \xe2\x80", len(b"plain start ") + 2 + len(b" then cut ")),
        (b"abc \xe2\x80 def", 4),
        ("“ok” ".encode() + b"\xc3(", len("“ok” ".encode())),
    ],
)
def test_mostly_utf8_with_broken_bytes_is_refused_with_the_offset(data: bytes, offset: int) -> None:
    with pytest.raises(ValueError, match=rf"^invalid UTF-8 at byte {offset}$"):
        decode_text(data)


def test_invalid_utf16_names_the_offset() -> None:
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xdc"  # lone low surrogate
    # the file's own byte: the two bytes of the mark count (a stray byte after a UTF-8 mark had been named
    # "invalid UTF-8-SIG at byte 0", found by the property test below)
    with pytest.raises(ValueError, match=r"^invalid UTF-16-LE at byte 6$"):
        decode_text(data)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "file is empty"),
        (codecs.BOM_UTF8, "file is empty"),
        (b" \r\n\t \n", "contains only whitespace"),
        (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "contains only whitespace"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "looks like binary data, not text"),
        ("text without a BOM".encode("utf-16-le"), "looks like binary data, not text"),
        (bytes(range(1, 9)) * 20 + b"some words", "looks like binary data, not text"),
        (codecs.BOM_UTF16_LE + "a\x00b".encode("utf-16-le"), "looks like binary data, not text"),
    ],
)
def test_refusals_carry_a_reason_for_a_person(data: bytes, reason: str) -> None:
    with pytest.raises(ValueError) as info:
        decode_text(data)
    assert str(info.value) == reason


def test_bytes_no_encoding_fits_are_refused() -> None:
    with pytest.raises(ValueError, match="not valid UTF-8 and no single-byte encoding fits"):
        decode_text(bytes(range(0x80, 0x100)) * 3)


_PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0xFFFF, exclude_categories=("Cs", "Cc"))


@settings(max_examples=150, deadline=None)
@given(st.text(_PRINTABLE, min_size=1).filter(lambda s: s.strip() and not s.startswith("\ufeff")))
def test_any_utf8_text_round_trips(text: str) -> None:
    # A leading U+FEFF encodes as the UTF-8 byte-order mark, which decoding drops (it marks the encoding,
    # it is not text): such texts are the case below, not a round trip.
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")


def test_a_leading_byte_order_mark_is_dropped_and_a_lone_one_is_an_empty_file() -> None:
    assert decode_text("\ufeffPolicy brief".encode("utf-8")) == ("Policy brief", "utf-8-sig")
    with pytest.raises(ValueError, match="empty"):
        decode_text("\ufeff".encode("utf-8"))


@settings(max_examples=150, deadline=None)
@given(
    st.text(_PRINTABLE, min_size=1).filter(lambda s: any(ord(c) > 0x7F for c in s)),
    st.integers(min_value=0),
)
@example("\ufeff", 1)  # a leading U+FEFF is the UTF-8 mark: the stray byte after it is still at its file offset
def test_a_stray_byte_in_utf8_text_is_never_decoded_as_mojibake(text: str, where: int) -> None:
    cut = where % (len(text) + 1)
    head = text[:cut].encode("utf-8")
    data = head + b"\xff" + text[cut:].encode("utf-8")
    with pytest.raises(ValueError, match=rf"^invalid UTF-8 at byte {len(head)}$"):
        decode_text(data)
