"""Numeric settings out of range or not numbers (issue 13): `-k` and every RAG_HISTORY_* number
stop with one line naming the setting and what it may be (exit status 2), before anything loads."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import FIXTURE_QUESTION
from rag_history.cli import main
from rag_history.errors import RagHistoryError


@pytest.fixture
def ask(fake_encoder, fixture_sources, tmp_path, clean_env, capsys):
    """Run `rag-history ask` on the small invented text; returns (status, stdout, stderr)."""

    def run(*argv: str):
        try:
            code = main(["ask", *argv, "--sources", str(fixture_sources), "--index", str(tmp_path / "index"), "-q",
                         FIXTURE_QUESTION])
        except SystemExit as exc:  # what a setting that was not a number used to raise
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _one_line(err: str) -> bool:
    return err.count("\n") == 1 and err.startswith("rag-history: ") and "Traceback" not in err


@pytest.mark.parametrize("k", ["-5", "0", "101"])
def test_k_out_of_range(ask, tmp_path, k):
    code, out, err = ask("-k", k)
    assert code == 2 and out == "" and _one_line(err)
    assert "-k" in err and "from 1 to 100" in err and f"not {k}" in err
    assert not (tmp_path / "index").exists()  # refused before building anything


@pytest.mark.parametrize("value", ["abc", "0", "-5", "101", "2.5"])
def test_top_k_variable_out_of_range(ask, monkeypatch, value):
    monkeypatch.setenv("RAG_HISTORY_TOP_K", value)
    code, out, err = ask()
    assert code == 2 and out == "" and _one_line(err)
    assert "RAG_HISTORY_TOP_K" in err and "1 to 100" in err


@pytest.mark.parametrize("name, value", [("RAG_HISTORY_CHUNK_TOKENS", "abc"), ("RAG_HISTORY_CHUNK_TOKENS", "-1"),
                                         ("RAG_HISTORY_CHUNK_OVERLAP", "abc"), ("RAG_HISTORY_CHUNK_OVERLAP", "-1"),
                                         ("RAG_HISTORY_CHUNK_OVERLAP", "100000")])
def test_chunk_variables_out_of_range(ask, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    code, out, err = ask()
    assert code == 2 and out == "" and _one_line(err)
    assert (name in err) if value == "abc" else ("chunk" in err and "must be" in err)


def test_a_bad_variable_exits_2_in_a_real_process(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("RAG_HISTORY_")}, "RAG_HISTORY_TOP_K": "abc"}
    run = subprocess.run([sys.executable, "-m", "rag_history.cli", "ask", "--index", str(tmp_path / "index"), "soru"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 2 and run.stdout == "" and _one_line(run.stderr)
    assert "RAG_HISTORY_TOP_K='abc' is not a whole number" in run.stderr


def test_k_reaches_the_answer_and_wins_over_the_variable(ask, monkeypatch):
    from rag_history.answer import Answerer

    asked, answer = [], Answerer.answer
    monkeypatch.setattr(Answerer, "answer", lambda self, query, passages, shown=5: asked.append(shown)
                        or answer(self, query, passages, shown))
    assert ask()[0] == 0
    assert ask("-k", "3")[0] == 0
    monkeypatch.setenv("RAG_HISTORY_TOP_K", "7")
    assert ask()[0] == 0
    assert ask("-k", "1")[0] == 0
    monkeypatch.setenv("RAG_HISTORY_TOP_K", "abc")  # not read when -k sets the number
    assert ask("-k", "2")[0] == 0
    assert asked == [5, 3, 7, 1, 2]


def test_settings_in_python_are_checked_too():
    from rag_history.config import Settings

    with pytest.raises(RagHistoryError, match="from 1 to 100"):
        Settings(top_k=0)
    with pytest.raises(RagHistoryError, match="from 1 to 100"):
        Settings().with_(top_k=-5)
