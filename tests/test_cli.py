"""The rag-history command: ask, citations, eval, build, and user errors as one line with status 2."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from conftest import FIXTURE_NAME, SOURCE_DIR
from rag_history.citations import find_references
from rag_history.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture
def cli(settings, reuse_encoder, clean_env, capsys):
    """Run the command in-process against the session's index; returns (status, stdout, stderr)."""

    def run(*argv: str, sources=SOURCE_DIR, index=None):
        code = main([*argv, "--sources", str(sources), "--index", str(index or settings.index_dir), "-q"])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_ask_json_prints_the_answer_record(cli):
    code, out, _ = cli("ask", "--json", "Moskova Antlaşması ne zaman imzalandı?")
    record = json.loads(out)
    assert code == 0
    assert "16 Mart 1921" in record["answer"] and not record["abstained"]
    assert record["citations"][0]["raw"] == "(Sofuoğlu,2005:204)"
    assert len(record["passages"]) >= 5


def test_ask_prints_the_cited_sentence(cli):
    code, out, _ = cli("ask", "Moskova Antlaşması ne zaman imzalandı?")
    assert code == 0
    assert "16 Mart 1921'de görüşmelerin tamamlanmasıyla Moskova Dostluk Antlaşması imzalanmıştır " \
           "(Sofuoğlu,2005:204)." in out


def test_citations_lists_every_reference_with_where_it_is_cited(cli, article_doc):
    code, out, _ = cli("citations", "--json")
    refs = json.loads(out)
    assert code == 0
    in_article = {c.key for p in article_doc.paragraphs for r in find_references(p.text) for c in r.works}
    assert {r["reference"] for r in refs} == in_article
    sofuoglu = next(r for r in refs if r["reference"] == "Sofuoğlu, 2005")
    assert sofuoglu["pages"] == ["204"]
    assert any("16 Mart 1921" in s["sentence"] and s["section"].startswith("3.") for s in sofuoglu["cited_by"])
    # A sentence supported by the next reference is listed under that reference.
    bilge = next(r for r in refs if r["reference"] == "Bilge, 1992")
    assert {"Devrimle birlikte Çarlık rejimine son verildi."} <= {s["sentence"] for s in bilge["cited_by"]}

    code, text, _ = cli("citations")
    assert code == 0 and all(key in text for key in in_article)


def test_eval_writes_records_and_prints_metrics(cli, tmp_path):
    questions = tmp_path / "q.jsonl"
    rows = [{"id": "e1", "lang": "tr", "question": "Gümrü Antlaşması ne zaman imzalandı?",
             "answer_contains": ["3 Aralık 1920"], "gold_citations": ["Efe 2018"], "answerable": True},
            {"id": "e2", "lang": "en", "question": "Which football team won the 1998 World Cup?", "answer_contains": [],
             "gold_citations": [], "answerable": False}]
    questions.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out_path = tmp_path / "out" / "answers.jsonl"
    code, out, _ = cli("eval", str(questions), "--out", str(out_path))
    records = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert code == 0
    assert [r["id"] for r in records] == ["e1", "e2"]
    assert "3 Aralık 1920" in records[0]["answer"] and records[1]["abstained"]
    metrics = dict(line.split()[:2] for line in out.splitlines() if line.startswith(("answer_accuracy ",
                                                                                       "abstention_accuracy ")))
    assert metrics == {"answer_accuracy": "1.000", "abstention_accuracy": "1.000"}
    assert "by source: every question is about turk-sovyet-iliskileri-milli-mucadele.txt" in out


def test_build_then_up_to_date_then_force(cli, fixture_sources, tmp_path):
    index = tmp_path / "index"
    code, out, _ = cli("build", sources=fixture_sources, index=index)
    assert code == 0 and "1 source(s)" in out and (index / "current" / "manifest.json").exists()
    first = (index / "current").resolve()
    code, out, _ = cli("build", sources=fixture_sources, index=index)
    assert code == 0 and "up to date" in out and (index / "current").resolve() == first
    code, out, _ = cli("build", "--force", "--chunk-tokens", "48", "--chunk-overlap", "8",
                       sources=fixture_sources, index=index)
    manifest = json.loads((index / "current" / "manifest.json").read_text(encoding="utf-8"))
    assert code == 0 and manifest["chunking"] == {"max_tokens": 48, "overlap_tokens": 8}
    assert manifest["source_files"].keys() >= {FIXTURE_NAME}


def test_bad_chunk_settings_are_one_line(cli, fixture_sources, tmp_path):
    code, _, err = cli("build", "--chunk-tokens", "32", "--chunk-overlap", "32",
                       sources=fixture_sources, index=tmp_path / "index")
    assert code == 2 and err.count("\n") == 1 and "overlap" in err


@pytest.mark.parametrize("question", ["", "   ", "?!"])
def test_empty_question_is_one_line_and_status_2(cli, monkeypatch, question):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(question.encode())))
    code, out, err = cli("ask", question)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "question" in err.lower() and "Traceback" not in err


def test_missing_source_directory_in_a_real_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_HISTORY_")}
    run = subprocess.run([sys.executable, "-m", "rag_history.cli", "build", "--sources", str(tmp_path / "missing"),
                          "--index", str(tmp_path / "index")], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert str(tmp_path / "missing") in run.stderr
