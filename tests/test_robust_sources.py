"""Broken source texts (issue 6): each is refused with a message naming the file and the fix,
and a removed or edited source leaves nothing of its old text in the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag_history import Assistant
from rag_history.cli import main
from rag_history.config import Settings
from rag_history.errors import SourceError
from rag_history.source import MAX_SOURCE_BYTES, load_documents

TURKISH = "Türk-Sovyet ilişkileri Millî Mücadele döneminde gelişmiştir. Ankara ve Moskova anlaştı.\n"
EXTRA = "Kars Kalesi'nin anahtarları 1921 yılında Zülfikar Paşa'ya teslim edilmiştir (Deneme,1999:12).\n"
EXTRA_QUESTION = "Kars Kalesi'nin anahtarları kime teslim edilmiştir?"


def _refused(source_copy, name: str, data: bytes, *needles: str) -> str:
    (source_copy / name).write_bytes(data)
    with pytest.raises(SourceError) as exc:
        load_documents(source_copy)
    message = str(exc.value)
    assert name in message
    for needle in needles:
        assert needle in message
    return message


def test_not_utf8_names_the_file_and_how_to_convert(source_copy):
    _refused(source_copy, "eski.txt", TURKISH.encode("cp1254"), "not UTF-8", "iconv -f windows-1254 -t utf-8")


def test_utf16_is_not_mistaken_for_binary(source_copy):
    _refused(source_copy, "notepad.txt", TURKISH.encode("utf-16"), "UTF-16", "iconv -f utf-16")


@pytest.mark.parametrize("data", [b"", b"  \n\n\t \n"])
def test_empty_source_is_refused(source_copy, data):
    _refused(source_copy, "bos.txt", data, "no text found")


@pytest.mark.parametrize("data", [b"abc\x00def\x00" * 100, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"])
def test_binary_source_is_refused(source_copy, data):
    _refused(source_copy, "upload.txt", data, "not a text file")


def test_ten_megabytes_are_refused_before_reading(source_copy, monkeypatch):
    big = source_copy / "big.txt"
    with open(big, "wb") as f:  # sparse: 10 MB without writing them
        f.truncate(10 * 1024 * 1024)
    read = Path.read_bytes
    reads = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or read(self))
    with pytest.raises(SourceError) as exc:
        load_documents(source_copy)
    message = str(exc.value)
    assert "big.txt: 10,485,760 bytes" in message and f"{MAX_SOURCE_BYTES:,}-byte limit" in message
    assert "split it" in message and "big.txt" not in reads


def test_cli_reports_a_broken_source_in_one_line(source_copy, tmp_path, capsys):
    (source_copy / "eski.txt").write_bytes(TURKISH.encode("cp1254"))
    status = main(["build", "--sources", str(source_copy), "--index", str(tmp_path / "index")])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "eski.txt" in err and "Traceback" not in err


def test_broken_metadata_sidecar_names_the_file(source_copy):
    (source_copy / "turk-sovyet-iliskileri-milli-mucadele.json").write_text("{title: ", encoding="utf-8")
    with pytest.raises(SourceError, match=r"turk-sovyet-iliskileri-milli-mucadele\.json: not valid JSON"):
        load_documents(source_copy)


def test_hidden_files_are_not_sources(source_copy):
    (source_copy / "._turk-sovyet-iliskileri-milli-mucadele.txt").write_bytes(b"\x00\x05\x16\x07Mac OS X")
    assert [d.name for d in load_documents(source_copy)] == ["turk-sovyet-iliskileri-milli-mucadele.txt"]


def test_the_same_text_twice_is_indexed_once_with_a_warning(source_copy, capsys):
    original = source_copy / "turk-sovyet-iliskileri-milli-mucadele.txt"
    (source_copy / "z-kopya.txt").write_bytes(original.read_bytes())
    docs = load_documents(source_copy)
    assert [d.name for d in docs] == [original.name]
    err = capsys.readouterr().err
    assert "z-kopya.txt" in err and original.name in err and "once" in err


def _sources_in(assistant) -> set[str]:
    return {c.source for c in assistant.index.chunks} | {s.source for s in assistant.index.sentences}


def test_removed_or_edited_source_leaves_no_chunks_and_no_answers(fake_encoder, source_copy, tmp_path):
    settings = Settings(source_dir=source_copy, index_dir=tmp_path / "index")
    extra = source_copy / "ek.txt"
    extra.write_text(EXTRA, encoding="utf-8")
    log: list[str] = []
    before = Assistant.load(settings, log=log.append)
    answer = before.ask(EXTRA_QUESTION)
    assert [s.source for s in answer.sentences] == ["ek.txt"]  # the test means something

    extra.write_text(EXTRA.replace("Zülfikar", "Kâzım Karabekir"), encoding="utf-8")  # edited
    edited = Assistant.load(settings, log=log.append)
    assert "ek.txt" in log[-1]
    assert not any("Zülfikar" in s.text for s in edited.index.sentences)
    assert "Kâzım Karabekir" in edited.ask(EXTRA_QUESTION).text

    extra.unlink()  # removed
    after = Assistant.load(settings, log=log.append)
    assert "ek.txt" in log[-1]
    assert "ek.txt" not in _sources_in(after) and "ek.txt" not in after.sources
    answer = after.ask(EXTRA_QUESTION)
    assert all(s.source != "ek.txt" for s in answer.sentences) and "Karabekir Paşa'ya" not in answer.text
    builds = sorted(p.name for p in settings.index_dir.iterdir() if p.name.startswith(("build-", ".tmp-")))
    assert builds == [after.index.path.name]  # the old builds are gone, not orphaned beside it
