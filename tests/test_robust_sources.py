"""Broken and hostile source files (issues 6 and 13): each is reported in one line naming the
file and the fix, and skipped while the other sources build; nothing outside source_texts/ is
read because of what is in it; sidecar fields are checked one by one; a removed or edited source
leaves nothing of its old text in the index."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from rag_history import Assistant
from rag_history.cli import main
from rag_history.config import Settings
from rag_history.errors import SourceError
from rag_history.files import MAX_SOURCE_BYTES, source_files
from rag_history.source import load_documents

TURKISH = "Türk-Sovyet ilişkileri Millî Mücadele döneminde gelişmiştir. Ankara ve Moskova anlaştı.\n"
EXTRA = "Kars Kalesi'nin anahtarları 1921 yılında Zülfikar Paşa'ya teslim edilmiştir (Deneme,1999:12).\n"
EXTRA_QUESTION = "Kars Kalesi'nin anahtarları kime teslim edilmiştir?"
ARTICLE_NAME = "turk-sovyet-iliskileri-milli-mucadele.txt"


def _load(directory: Path) -> tuple[list, list[str]]:
    warnings: list[str] = []
    return load_documents(directory, warn=warnings.append), warnings


def _skipped(source_copy, name: str, data: bytes, *needles: str) -> str:
    """The file is reported in one warning naming it, and the article is still loaded."""
    (source_copy / name).write_bytes(data)
    docs, warnings = _load(source_copy)
    assert [d.name for d in docs] == [ARTICLE_NAME]
    mine = [w for w in warnings if name in w]
    assert len(mine) == 1 and "\n" not in mine[0], warnings
    for needle in needles:
        assert needle in mine[0]
    return mine[0]


def test_not_utf8_names_the_file_and_how_to_convert(source_copy):
    _skipped(source_copy, "eski.txt", TURKISH.encode("cp1254"), "not UTF-8", "iconv -f windows-1254 -t utf-8")


def test_utf16_is_not_mistaken_for_binary(source_copy):
    _skipped(source_copy, "notepad.txt", TURKISH.encode("utf-16"), "UTF-16", "iconv -f utf-16")


@pytest.mark.parametrize("data", [b"", b"  \n\n\t \n", b"\x1b[2J\x1b[H\x07\n"])
def test_empty_source_is_skipped(source_copy, data):
    _skipped(source_copy, "bos.txt", data, "no text found")


@pytest.mark.parametrize("data, needle", [(b"abc\x00def\x00" * 100, "not a text file"),
                                          (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "rename it to .pdf")])
def test_binary_source_is_skipped(source_copy, data, needle):
    _skipped(source_copy, "upload.txt", data, needle)


def test_ten_megabytes_are_refused_before_reading(source_copy, monkeypatch):
    big = source_copy / "big.txt"
    with open(big, "wb") as f:  # sparse: 10 MB without writing them
        f.truncate(10 * 1024 * 1024)
    read = Path.read_bytes
    reads = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or read(self))
    docs, warnings = _load(source_copy)
    message = next(w for w in warnings if "big.txt" in w)
    assert "big.txt: 10,485,760 bytes" in message and f"{MAX_SOURCE_BYTES:,}-byte limit" in message
    assert "split it" in message and "big.txt" not in reads and [d.name for d in docs] == [ARTICLE_NAME]


@pytest.mark.parametrize("code, reason", [(errno.EIO, "Input/output error"), (errno.EACCES, "Permission denied")])
def test_read_errors_name_the_file(source_copy, monkeypatch, code, reason):
    (source_copy / "disk.txt").write_text(TURKISH, encoding="utf-8")
    read = Path.read_bytes

    def failing(self):
        if self.name == "disk.txt":
            raise OSError(code, os.strerror(code))
        return read(self)

    monkeypatch.setattr(Path, "read_bytes", failing)
    docs, warnings = _load(source_copy)
    assert [d.name for d in docs] == [ARTICLE_NAME]
    assert [w for w in warnings if "disk.txt" in w] == [
        f"{source_copy / 'disk.txt'}: cannot be read ({reason}); make it readable, or copy it again if the disk or "
        "share is failing, then run `rag-history build`. Skipped; the other sources are indexed."]


def test_cli_reports_a_broken_source_in_one_line_and_builds_the_rest(source_copy, tmp_path, capsys, fake_encoder):
    (source_copy / "eski.txt").write_bytes(TURKISH.encode("cp1254"))
    status = main(["build", "--sources", str(source_copy), "--index", str(tmp_path / "index"), "-q"])
    err = capsys.readouterr().err
    assert status == 0 and err.count("eski.txt") == 1 and "Traceback" not in err
    assert [line for line in err.splitlines() if "eski.txt" in line][0].startswith("rag-history: ")


def test_no_usable_source_stops_with_status_2(tmp_path, capsys):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "eski.txt").write_bytes(TURKISH.encode("cp1254"))
    status = main(["build", "--sources", str(sources), "--index", str(tmp_path / "index"), "-q"])
    err = capsys.readouterr().err
    assert status == 2 and "eski.txt" in err and "no usable source text" in err and "Traceback" not in err


# --- what is a source --------------------------------------------------------------------------

def test_only_txt_and_pdf_files_are_sources(source_copy):
    for name in ("notlar.md", "README", "veri.csv", "makale.docx"):
        (source_copy / name).write_text(TURKISH, encoding="utf-8")
    assert [p.name for p in source_files(source_copy)] == [ARTICLE_NAME]


def test_hidden_files_are_not_sources(source_copy):
    (source_copy / "._turk-sovyet-iliskileri-milli-mucadele.txt").write_bytes(b"\x00\x05\x16\x07Mac OS X")
    assert [d.name for d in load_documents(source_copy)] == [ARTICLE_NAME]


def test_a_symlink_out_of_the_source_directory_is_not_followed(source_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Gizli parola: kırmızı-elma-42. Kimse bilmemeli.\n", encoding="utf-8")
    (source_copy / "link.txt").symlink_to(secret)
    (source_copy / "dir-link.txt").symlink_to(tmp_path)  # a directory, outside too
    docs, warnings = _load(source_copy)
    assert [d.name for d in docs] == [ARTICLE_NAME]
    assert not any("kırmızı" in s.text for d in docs for s in d.sentences)
    assert len([w for w in warnings if "link.txt" in w and "outside" in w]) == 2


def test_a_symlink_inside_the_source_directory_is_read(source_copy, tmp_path):
    (source_copy / "arsiv").mkdir()
    (source_copy / "arsiv" / "ek.txt").write_text(EXTRA, encoding="utf-8")
    (source_copy / "ek.txt").symlink_to(source_copy / "arsiv" / "ek.txt")
    docs, warnings = _load(source_copy)
    assert sorted(d.name for d in docs) == ["ek.txt", ARTICLE_NAME] and warnings == []


def test_a_sidecar_linked_out_of_the_directory_is_not_read(source_copy, tmp_path):
    outside = tmp_path / "meta.json"
    outside.write_text(json.dumps({"title": "Dışarıdan"}), encoding="utf-8")
    sidecar = source_copy / "turk-sovyet-iliskileri-milli-mucadele.json"
    sidecar.unlink()
    sidecar.symlink_to(outside)
    docs, warnings = _load(source_copy)
    assert docs[0].title != "Dışarıdan" and any("symbolic link" in w for w in warnings)


def test_a_file_name_that_is_not_utf8_is_skipped_with_its_name_shown(source_copy):
    os.close(os.open(os.path.join(os.fsencode(source_copy), b"caf\xe9.txt"), os.O_CREAT | os.O_WRONLY, 0o644))
    docs, warnings = _load(source_copy)
    assert [d.name for d in docs] == [ARTICLE_NAME]
    assert len(warnings) == 1 and "caf\\xe9.txt" in warnings[0] and "rename it" in warnings[0]
    warnings[0].encode("utf-8")  # printable as it is


def test_a_file_name_with_a_terminal_escape_is_skipped(source_copy):
    (source_copy / "\x1b[31mkirmizi.txt").write_text(TURKISH, encoding="utf-8")
    docs, warnings = _load(source_copy)
    assert [d.name for d in docs] == [ARTICLE_NAME]
    assert len(warnings) == 1 and "\x1b" not in warnings[0] and "\\x1b" in warnings[0]


# --- sidecars ----------------------------------------------------------------------------------

def _sidecar(source_copy, data) -> tuple[object, list[str]]:
    (source_copy / "turk-sovyet-iliskileri-milli-mucadele.json").write_text(
        data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    docs, warnings = _load(source_copy)
    return docs[0], warnings


def test_broken_metadata_sidecar_names_the_file_and_the_text_still_builds(source_copy):
    doc, warnings = _sidecar(source_copy, "{title: ")
    assert len(warnings) == 1 and "turk-sovyet-iliskileri-milli-mucadele.json: not valid JSON" in warnings[0]
    assert len(doc.sentences) == 94


@pytest.mark.parametrize("field, value, needle", [
    ("title", 123, "field 'title' must be a string, not int"),
    ("title", "T" * 1_350_000, "field 'title' is 1,350,000 characters long, more than the 300 allowed"),
    ("author", ["Yılmaz"], "field 'author' must be a string, not list"),
    ("language", "de", "field 'language' must be one of tr, en"),
    ("year", {"y": 1}, "field 'year' must be a string, not dict"),
])
def test_a_bad_sidecar_field_is_named_and_left_out(source_copy, field, value, needle):
    doc, warnings = _sidecar(source_copy, {"title": "Türk-Sovyet İlişkileri", "author": "Yazar", field: value})
    assert len(warnings) == 1 and needle in warnings[0] and "turk-sovyet-iliskileri-milli-mucadele.json" in warnings[0]
    assert len(warnings[0]) < 300  # the value itself is not repeated
    if field != "title":
        assert doc.title == "Türk-Sovyet İlişkileri"
    assert field not in doc.metadata and len(doc.info.label) < 100


def test_a_huge_sidecar_is_not_read(source_copy):
    doc, warnings = _sidecar(source_copy, json.dumps({"title": "x", "notes": "n" * 5_000_000}))
    assert len(warnings) == 1 and "4,000,000-byte limit for a metadata file" in warnings[0] and doc.metadata == {}


def test_a_year_given_as_a_number_is_taken(source_copy):
    doc, warnings = _sidecar(source_copy, {"title": "Makale", "year": 2019, "author": "Yazar"})
    assert warnings == [] and doc.info.label == "Yazar 2019, Makale"


def test_terminal_escapes_never_reach_what_the_cli_prints(source_copy, capsys):
    (source_copy / "ek.txt").write_text("Heyet \x1b[2J\x1b]0;ele geçirildi\x07Moskova’ya gitti. Sonra döndü.\n",
                                        encoding="utf-8")
    _sidecar(source_copy, {"title": "Başlık \x1b[31mkırmızı\x1b[0m", "author": "Yazar\x07"})
    docs, _ = _load(source_copy)
    extra = next(d for d in docs if d.name == "ek.txt")
    doc = next(d for d in docs if d.name == ARTICLE_NAME)
    assert [s.text for s in extra.sentences] == ["Heyet Moskova’ya gitti.", "Sonra döndü."]
    assert doc.title == "Başlık kırmızı" and doc.info.author == "Yazar"


# --- the same text twice, removed and edited sources ---------------------------------------------

def test_the_same_text_twice_is_indexed_once_with_a_warning(source_copy):
    original = source_copy / ARTICLE_NAME
    (source_copy / "z-kopya.txt").write_bytes(original.read_bytes())
    docs, warnings = _load(source_copy)
    assert [d.name for d in docs] == [original.name]
    assert len(warnings) == 1 and "z-kopya.txt" in warnings[0] and original.name in warnings[0] and "once" in warnings[0]


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


def test_a_source_unreadable_at_the_stale_check_is_no_traceback(source_copy, tmp_path, monkeypatch, capsys,
                                                               fake_encoder):
    (source_copy / "disk.txt").write_text(TURKISH, encoding="utf-8")
    real_open = open

    def failing_open(file, *args, **kwargs):
        if str(file).endswith("disk.txt"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(OSError(errno.EIO, "Input/output error"))
                        if self.name == "disk.txt" else real_open(self, "rb").read())
    status = main(["build", "--sources", str(source_copy), "--index", str(tmp_path / "index"), "-q"])
    err = capsys.readouterr().err
    assert status == 0 and "Traceback" not in err and err.count("disk.txt") == 1


def test_source_error_is_raised_for_a_missing_directory(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        load_documents(tmp_path / "yok")
