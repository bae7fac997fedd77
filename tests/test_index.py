"""The on-disk index: manifest, staleness, rebuild on load, and builds that never break the old index."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

import rag_history
from conftest import FIXTURE_NAME, FIXTURE_QUESTION, SOURCE_DIR
from rag_history import Assistant
from rag_history.chunking import ChunkSettings
from rag_history.cli import main
from rag_history.config import Settings
from rag_history.errors import IndexProblem
from rag_history.index import BuildSettings, build_index, index_status

pytestmark = pytest.mark.integration


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def current_build(index_dir):
    return (index_dir / "current").resolve()


@pytest.fixture
def small(fixture_sources, tmp_path, reuse_encoder) -> Settings:
    """Settings over the small invented text, with an index built once."""
    settings = Settings(source_dir=fixture_sources, index_dir=tmp_path / "index")
    build_index(settings.source_dir, settings.index_dir, settings.build, reuse_encoder, progress=False)
    return settings


@pytest.fixture
def sources_copy(tmp_path, assistant):
    """A copy of the bundled sources that the session index (built from the originals) matches."""
    copy = tmp_path / "copy"
    shutil.copytree(SOURCE_DIR, copy)
    return copy


def test_build_writes_a_complete_manifest(small, reuse_encoder):
    build = current_build(small.index_dir)
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model"] == reuse_encoder.dense.name == "multilingual-e5-small"
    assert manifest["term_model"] == reuse_encoder.terms.name == "use-multilingual-v3"
    assert manifest["dimension"] == reuse_encoder.dense.dimension == 384
    assert manifest["chunking"] == {"max_tokens": small.chunk_tokens, "overlap_tokens": small.chunk_overlap}
    assert manifest["package_version"] == rag_history.__version__
    sidecar = FIXTURE_NAME.replace(".txt", ".json")
    assert manifest["source_files"] == {name: sha256(small.source_dir / name) for name in (FIXTURE_NAME, sidecar)}
    files = {p.name for p in build.iterdir()} - {"manifest.json"}
    assert files and set(manifest["files"]) == files
    assert all(manifest["files"][name] == sha256(build / name) for name in files)
    assert index_status(small.index_dir, small.source_dir, small.build) is None


def test_changed_added_or_removed_source_makes_the_index_stale(settings, sources_copy):
    assert index_status(settings.index_dir, sources_copy, settings.build) is None
    article = next(sources_copy.glob("*.txt"))
    article.write_text(article.read_text(encoding="utf-8") + "\nEk bir cümle. \n", encoding="utf-8")
    assert article.name in index_status(settings.index_dir, sources_copy, settings.build)
    shutil.copy(SOURCE_DIR / article.name, article)
    (sources_copy / "yeni.txt").write_text("Yeni bir kaynak metin. \n", encoding="utf-8")
    assert "yeni.txt" in index_status(settings.index_dir, sources_copy, settings.build)
    (sources_copy / "yeni.txt").unlink()
    article.with_suffix(".json").unlink()  # the metadata sidecar counts too
    assert article.with_suffix(".json").name in index_status(settings.index_dir, sources_copy, settings.build)


def test_other_chunking_or_model_makes_the_index_stale(settings):
    model, term = settings.build.model, settings.build.term_model
    assert "chunking" in index_status(settings.index_dir, settings.source_dir,
                                      BuildSettings(model, term, ChunkSettings(64, 16)))
    assert "all-MiniLM-L6-v2" in index_status(settings.index_dir, settings.source_dir,
                                              BuildSettings("all-MiniLM-L6-v2", term, settings.build.chunking))
    assert "term model" in index_status(settings.index_dir, settings.source_dir,
                                        BuildSettings(model, model, settings.build.chunking))


def test_load_rebuilds_after_a_source_change(small):
    first = current_build(small.index_dir)
    text = small.source_dir / FIXTURE_NAME
    text.write_text(text.read_text(encoding="utf-8")
                    + "\nFener 1931 yılında elektrikle çalışır hale getirildi (Er; Tunalı,2004:80). \n",
                    encoding="utf-8")
    assistant = Assistant.load(small, progress=False, log=lambda msg: None)
    assert current_build(small.index_dir) != first and not first.exists()
    assert any("elektrikle" in s.text for s in assistant.index.sentences)
    assert index_status(small.index_dir, small.source_dir, small.build) is None


def test_load_rebuilds_for_other_chunking(small):
    other = small.with_(chunk_tokens=48, chunk_overlap=8)
    assistant = Assistant.load(other, progress=False, log=lambda msg: None)
    assert assistant.index.manifest["chunking"] == {"max_tokens": 48, "overlap_tokens": 8}
    assert all(c.n_tokens <= 48 for c in assistant.index.chunks)


def test_never_build_says_what_to_run(small):
    with pytest.raises(IndexProblem, match=r"all-MiniLM-L6-v2.*rag-history build"):
        Assistant.load(small.with_(model="all-MiniLM-L6-v2"), build="never")


class FailingEncoder:
    """The real encoder until its second batch, then the build is interrupted."""

    def __init__(self, encoder, error: BaseException):
        self.encoder, self.error, self.calls = encoder, error, 0
        self.name, self.dimension = encoder.name, encoder.dimension

    def encode(self, texts, **kwargs):
        self.calls += 1
        if self.calls == 2:
            raise self.error
        return self.encoder.encode(texts, **kwargs)


@pytest.mark.parametrize("error", [KeyboardInterrupt(), RuntimeError("encoder crashed")],
                         ids=["ctrl-c", "crash"])
def test_interrupted_build_keeps_the_old_index(small, reuse_encoder, error):
    from rag_history.embedding import Encoders

    old = current_build(small.index_dir)
    failing = FailingEncoder(reuse_encoder.dense, error)
    with pytest.raises(type(error)):
        build_index(small.source_dir, small.index_dir, small.build, Encoders(failing, reuse_encoder.terms),
                    progress=False)
    assert failing.calls == 2  # it did stop midway
    assert current_build(small.index_dir) == old
    leftovers = [p.name for p in small.index_dir.iterdir() if p.name not in {"current", ".lock", old.name}]
    assert leftovers == []
    # The old index passes the checksum check, loads without a rebuild, and answers.
    assistant = Assistant.load(small, build="never")
    answer = assistant.ask(FIXTURE_QUESTION)
    assert not answer.abstained and "14 Temmuz 1862" in answer.text


def test_leftovers_of_a_killed_build_are_cleared_by_the_next(small, reuse_encoder):
    junk = small.index_dir / ".tmp-build-killed"
    junk.mkdir()
    (junk / "chunks.jsonl").write_text("{", encoding="utf-8")
    assert index_status(small.index_dir, small.source_dir, small.build) is None
    build_index(small.source_dir, small.index_dir, small.build, reuse_encoder, progress=False)
    assert not junk.exists()
    assert len([p for p in small.index_dir.iterdir() if p.name.startswith("build-")]) == 1


def test_no_build_with_a_stale_index_gives_one_clear_line(settings, sources_copy, clean_env, capsys):
    article = next(sources_copy.glob("*.txt"))
    article.write_text(article.read_text(encoding="utf-8") + "\nEk bir cümle. \n", encoding="utf-8")
    code = main(["ask", "--no-build", "--sources", str(sources_copy), "--index", str(settings.index_dir),
                 "Moskova Antlaşması ne zaman imzalandı?"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert article.name in err and "rag-history build" in err
