"""PDF files as sources (issue 11): text and metadata from the PDF, a scan refused in one line
while the other sources build, and the extracted text kept in the index for the offsets."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import HashingEncoder
from rag_history.cli import main
from rag_history.errors import SourceError
from rag_history.index import EXTRACTED, build_index, current_build
from rag_history.config import Settings
from rag_history.source import load_document, load_documents
from test_repair import assert_traceable

FRIEDMAN = Path(__file__).resolve().parent / "data" / "readings" / "friedman-1955-in-1947.pdf"


def blank_pdf(pages: int = 2) -> bytes:
    """A PDF without a text layer, like a scan (a scan's pages are images)."""
    import pypdf

    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def friedman_alone(tmp_path_factory) -> Path:
    """The Friedman PDF without its sidecar: what it says about itself."""
    directory = tmp_path_factory.mktemp("pdf")
    shutil.copy(FRIEDMAN, directory / FRIEDMAN.name)
    return directory


def test_title_author_and_year_come_from_the_pdf_without_a_sidecar(friedman_alone):
    doc = load_document(friedman_alone / FRIEDMAN.name)
    assert doc.kind == "pdf" and doc.language == "en"
    # The PDF's own title field is empty: the title is the first page's first lines.
    assert doc.title == ("1955 in 1947: Historical Conjecture and Strategic Planning in the Office of the Chief of "
                         "Naval Operations")
    assert (doc.info.author, doc.info.year) == ("Hal Friedman", "2025")
    assert_traceable(doc)  # offsets into the extracted text


def test_a_scanned_pdf_is_skipped_with_one_line_and_the_rest_builds(source_copy, tmp_path, capsys, fake_encoder):
    (source_copy / "scan.pdf").write_bytes(blank_pdf())
    status = main(["build", "--sources", str(source_copy), "--index", str(tmp_path / "index"), "-q"])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "scan.pdf" in line]
    assert status == 0 and len(lines) == 1 and "Traceback" not in err
    assert "no text layer" in lines[0] and "ocrmypdf" in lines[0]
    manifest = json.loads((current_build(tmp_path / "index") / "manifest.json").read_text())
    assert list(manifest["sources"]) == ["turk-sovyet-iliskileri-milli-mucadele.txt"]


def test_a_scan_alone_stops_the_build_with_status_2(tmp_path, capsys, fake_encoder):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "scan.pdf").write_bytes(blank_pdf())
    status = main(["build", "--sources", str(sources), "--index", str(tmp_path / "index"), "-q"])
    err = capsys.readouterr().err
    assert status == 2 and "ocrmypdf" in err and "no usable source text" in err and "Traceback" not in err


@pytest.mark.parametrize("data, needle", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "the PDF cannot be read"),  # cut off after its first bytes
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "the PDF cannot be read"),  # a picture named .pdf
])
def test_a_broken_pdf_is_one_error_naming_it(tmp_path, data, needle):
    path = tmp_path / "bozuk.pdf"
    path.write_bytes(data)
    with pytest.raises(SourceError, match=needle) as exc:
        load_document(path)
    assert "bozuk.pdf" in str(exc.value)


def test_a_pdf_named_txt_says_to_rename_it(tmp_path):
    path = tmp_path / "makale.txt"
    path.write_bytes(FRIEDMAN.read_bytes()[:2000])
    with pytest.raises(SourceError, match="rename it to .pdf"):
        load_document(path)


def test_the_index_keeps_the_extracted_text_the_offsets_refer_to(friedman_alone, tmp_path):
    settings = Settings(source_dir=friedman_alone, index_dir=tmp_path / "index", term_model="none")
    build_index(settings.source_dir, settings.index_dir, settings.build, HashingEncoder(settings.model), progress=False)
    build = current_build(settings.index_dir)
    extracted = {row["source"]: row["text"] for row in map(json.loads, (build / EXTRACTED).read_text().splitlines())}
    text = extracted[FRIEDMAN.name]
    rows = [json.loads(line) for line in (build / "sentences.jsonl").read_text().splitlines()]
    assert len(rows) > 200
    for row in rows:
        flat = "".join(text[row["start"]:row["end"]].split())
        assert flat.startswith(row["text"][:1]) and flat.endswith(row["text"][-1:])
    assert EXTRACTED in json.loads((build / "manifest.json").read_text())["files"]  # checksummed like the rest


def test_documents_from_pdf_and_text_side_by_side(friedman_alone, source_copy):
    shutil.copy(friedman_alone / FRIEDMAN.name, source_copy / FRIEDMAN.name)
    docs = load_documents(source_copy, warn=pytest.fail)
    assert {d.name: d.language for d in docs} == {FRIEDMAN.name: "en", "turk-sovyet-iliskileri-milli-mucadele.txt": "tr"}
