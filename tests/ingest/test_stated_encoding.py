"""Ambiguous legacy encodings (issue 16, item 13): the detected language decides where it can, a
warning names the file and the candidates where it cannot, and the user can state the encoding."""

from __future__ import annotations

import json
import logging

import pytest

from ingest.encoding import decode_text
from ingest.loaders import load_document
from vectorstore.errors import LoadError

TURKISH = (
    "Kentsel Dönüşüm Raporu\n\n"
    "İstanbul'da kentsel dönüşüm projeleri hızlanıyor. Şişli ve Kağıthane ilçelerinde yüzlerce bina "
    "yıkıldı ve yeniden yapıldı. Belediye, hak sahiplerine kira yardımı ödüyor.\n"
)
JAPANESE = (
    "保育支援の概要\n\n市は来年度から保育料の負担を軽減します。"
    "三歳未満の子どもがいる世帯は、月額二万円の保育手当を受け取ることができます。申請は市役所の窓口で受け付けます。\n"
)
KOREAN = "주거 지원 정책 요약\n\n시는 내년부터 저소득 가구의 임대료 부담을 줄이기 위해 월세 보조금을 지급합니다. 신청은 주민센터에서 받습니다.\n"


@pytest.mark.parametrize("text, encoding, name", [
    (TURKISH, "cp1254", "cp1254"),  # the input
    ("Hükümet gelecek yılın bütçesini açıkladı. Muhalefet savunma harcamalarını eleştirdi.", "iso8859_9", "cp1254"),
    ("Vyriausybė patvirtino kitų metų biudžetą ir šalies ūkio planą.", "cp1257", "cp1257"),
    ("Rząd przedstawił budżet na przyszły rok. Opozycja krytykuje wydatki na obronność.", "cp1250", "cp1250"),
    ("Vláda schválila rozpočet na příští rok. Opozice kritizuje výdaje na obranu a školství.", "cp1250", "cp1250"),
    ("Le gouvernement a présenté un budget équilibré pour l'année prochaine, malgré les critiques.", "cp1252", "cp1252"),
    ("Правительство утвердило бюджет на следующий год.", "cp1251", "cp1251"),
    (JAPANESE, "shift_jis", "cp932"),  # kept as read before (Shift_JIS is read through its superset cp932)
    (JAPANESE, "euc_jp", "euc_jis_2004"),
    (KOREAN, "euc_kr", "cp949"),
])
def test_legacy_text_is_read_in_the_code_page_its_letters_fit(text, encoding, name, caplog):
    with caplog.at_level(logging.WARNING, logger="ingest.encoding"):
        assert decode_text(text.encode(encoding), source="brief.txt") == (text, name)
    assert not caplog.records


def test_readings_that_fit_alike_are_warned_about_with_the_file_and_the_candidates(caplog):
    data = "Byen har mange gæster i dag.".encode("cp1252")  # æ (cp1252), ć (cp1250), ę (cp1257)
    with caplog.at_level(logging.WARNING, logger="ingest.encoding"):
        text, name = decode_text(data, source="briefs/gæster.txt")
    assert name == "cp1252" and text == "Byen har mange gæster i dag."
    [record] = caplog.records
    message = record.getMessage()
    assert "briefs/gæster.txt" in message and "cp1250" in message and "cp1257" in message
    assert "encoding" in message and "--encoding" in message


def test_a_stated_encoding_is_used_for_bytes_that_are_not_unicode():
    data = "Kaðýthane ve Þiþli".encode("cp1252")
    assert decode_text(data, stated="cp1254") == ("Kağıthane ve Şişli", "cp1254")
    assert decode_text("Şişli".encode(), stated="cp1254") == ("Şişli", "utf-8")  # UTF-8 stays UTF-8
    with pytest.raises(ValueError, match="invalid CP932"):
        decode_text(b"\x81\x20 broken", stated="cp932")


def test_a_sidecar_states_a_files_encoding_and_is_not_metadata(tmp_path):
    path = tmp_path / "rapor.txt"
    path.write_bytes("Kentsel Dönüşüm Raporu\n\nŞişli ve Kağıthane.\n".encode("cp1254"))
    (tmp_path / "rapor.txt.meta.json").write_text(json.dumps({"encoding": "windows-1254", "series": "Rapor"}))
    doc = load_document(path, source="rapor.txt", max_bytes=1 << 20, timeout_s=10)
    assert (doc.encoding, doc.meta.series) == ("cp1254", "Rapor")
    assert "Şişli ve Kağıthane" in doc.text and "encoding" not in dict(doc.meta.extra)


def test_a_sidecar_naming_an_unknown_encoding_is_an_error_naming_it(tmp_path):
    path = tmp_path / "rapor.txt"
    path.write_bytes("Şişli".encode("cp1254"))
    (tmp_path / "rapor.txt.meta.json").write_text('{"encoding": "turkish-ish"}')
    with pytest.raises(LoadError, match="rapor.txt.meta.json: field 'encoding': unknown encoding 'turkish-ish'"):
        load_document(path, source="rapor.txt", max_bytes=1 << 20, timeout_s=10)


@pytest.mark.slow
def test_the_cli_encoding_option_rereads_a_stored_file_in_the_stated_encoding(tmp_path, capsys):
    from ingest.__main__ import main
    from settings import Settings
    from vectorstore.store import open_store

    folder = tmp_path / "briefs"
    folder.mkdir()
    text = "Kaðýthane Raporu\n\nÞiþli ve Kaðýthane ilçelerinde yüzlerce bina yýkýldý.\n"  # cp1252 letters
    (folder / "rapor.txt").write_bytes(text.encode("cp1252"))
    store_dir = str(tmp_path / "store")
    assert main([str(folder), "--store", store_dir, "--json"]) == 0
    assert main([str(folder), "--store", store_dir, "--json", "--encoding", "cp1254"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["updated"] == 1
    assert main([str(folder), "--store", store_dir, "--encoding", "nonsense-9"]) == 2
    settings = Settings()
    store = open_store(path=store_dir, model=settings.embedding.model, dimension=384)
    [entry] = store.manifest().values()
    assert entry.encoding == "cp1254"
    assert "Şişli ve Kağıthane" in store.document_text(entry.doc_id)
