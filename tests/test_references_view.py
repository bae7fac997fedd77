"""The References view's data and `rag-history citations`: every work cited, with its entry in the
text's reference list and the sentences it supports; a reference with no entry and an entry never
cited are listed as such."""

from __future__ import annotations

import json

import pytest

from rag_history.assistant import Assistant
from rag_history.cli import main
from rag_history.config import Settings
from rag_history.index import build_index, load_index

TEXT = """1. Giriş

Moskova Antlaşması 16 Mart 1921'de imzalandı (Sofuoğlu, 2005: 204). Bu antlaşma Batum'u Gürcistan'a
bıraktı. Yüceer (1997) buna tek ödün der (Yüceer, 1997: 166; Avcı, 2008: 71).

Kars Antlaşması aynı yıl imzalandı (Kaya, 2010).

Kaynakça

Avcı, M. (2008). Kafkasya. Ankara: TTK.

Efe, A. (2018). Gümrü Antlaşması. İstanbul: Ötüken.

Sofuoğlu, A. (2005). Millî Mücadele. Ankara: Berikan.

Yüceer, S. (1997). Birinci Dünya Savaşı. Ankara: Kültür Bakanlığı.
"""


@pytest.fixture
def built(tmp_path, fake_encoder, clean_env):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "antlasma.txt").write_text(TEXT, encoding="utf-8")
    config = Settings(source_dir=sources, index_dir=tmp_path / "index", term_model="none")
    build_index(config.source_dir, config.index_dir, config.build, fake_encoder(config.model), progress=False)
    return config


def test_references_view_lists_entries_missing_and_never_cited(built, fake_encoder):
    assistant = Assistant(built, load_index(built.index_dir), fake_encoder(built.model))
    refs = {r.key: r for r in assistant.references()}
    assert list(refs) == ["Sofuoğlu, 2005", "Yüceer, 1997", "Avcı, 2008", "Kaya, 2010", "Efe, 2018"]
    assert [(r.status, r.entry.n if r.entry else None) for r in refs.values()] == [
        ("cited", 3), ("cited", 4), ("cited", 1), ("no entry", None), ("never cited", 2)]
    # The sentence before a reference is supported by it; a group supports it with every work in it.
    yuceer = refs["Yüceer, 1997"]
    assert {s.text[:20] for s in yuceer.sentences} == {"Bu antlaşma Batum'u ", "Yüceer (1997) buna t"}
    assert yuceer.pages == ("166",)
    # ... the next reference only: "Yüceer (1997)", not the group after it.
    assert [s.text[:20] for s in refs["Avcı, 2008"].sentences] == ["Yüceer (1997) buna t"]
    assert refs["Efe, 2018"].citation is None and refs["Efe, 2018"].sentences == ()
    assert refs["Sofuoğlu, 2005"].entry.raw == "Sofuoğlu, A. (2005). Millî Mücadele. Ankara: Berikan."


def test_a_sentence_record_keeps_every_reference_in_the_index(built):
    records = load_index(built.index_dir).sentences
    (both,) = [s for s in records if s.text.startswith("Yüceer (1997)")]
    assert [(r.raw, both.text[r.start:r.end], r.kind) for r in both.references] == [
        ("Yüceer (1997)", "Yüceer (1997)", "narrative"),
        ("(Yüceer, 1997: 166; Avcı, 2008: 71)", "(Yüceer, 1997: 166; Avcı, 2008: 71)", "parenthetical")]
    assert [(c.author, c.year, c.pages, c.entry) for c in both.cited] == [
        ("Yüceer", "1997", "", 4), ("Yüceer", "1997", "166", 4), ("Avcı", "2008", "71", 1)]
    assert both.citation.raw == "(Yüceer, 1997: 166; Avcı, 2008: 71)" and both.attribution == "own"


def test_citations_command_says_which_have_no_entry_and_which_are_never_cited(built, capsys):
    args = ["--sources", str(built.source_dir), "--index", str(built.index_dir), "-q"]
    assert main(["citations", *args]) == 0
    out = capsys.readouterr().out
    assert "Kaya, 2010  [no entry in the reference list]" in out
    assert "Efe, 2018  [never cited]\n    = Efe, A. (2018). Gümrü Antlaşması. İstanbul: Ötüken." in out
    assert main(["citations", "--json", *args]) == 0
    rows = {r["reference"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["Avcı, 2008"]["entry"]["n"] == 1 and rows["Avcı, 2008"]["status"] == "cited"
    assert rows["Kaya, 2010"]["status"] == "no entry" and rows["Efe, 2018"]["cited_by"] == []
