"""Hostile questions (issue 6): each gets a short answer or one clear line, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from rag_history.cli import main
from rag_history.errors import QuestionError
from rag_history.question import MAX_QUESTION_CHARS, clean_question

MOSCOW = "Moskova Antlaşması ne zaman imzalandı?"
EMPTY_MESSAGE = "Please type a question"


@pytest.fixture(scope="module")
def baseline(assistant):
    return assistant.ask(MOSCOW)


def _cli(args, source_copy, tmp_path):
    return main(["ask", "--sources", str(source_copy), "--index", str(tmp_path / "index"), *args])


@pytest.mark.parametrize("raw", ["", "   ", "\n\t\r", "\x00\x00", "?!…", "\u200b\u202e", None, b"", b"\xff\xfe"])
def test_empty_or_blank_question_is_refused_with_a_message(assistant, raw):
    with pytest.raises(QuestionError, match=EMPTY_MESSAGE):
        assistant.ask(raw)


def test_cli_empty_question_is_one_line_and_status_2_without_loading_anything(monkeypatch, capsys):
    def no_load(*a, **k):
        raise AssertionError("an empty question must be refused before the index is loaded")

    monkeypatch.setattr("rag_history.assistant.Assistant.load", no_load)
    assert main(["ask", "   "]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and EMPTY_MESSAGE in err


def test_ten_thousand_characters_are_cut_with_a_notice(assistant):
    answer = assistant.ask(MOSCOW + " " + "tarih " * 2000)
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert answer.question.startswith(MOSCOW)
    assert f"sınır {MAX_QUESTION_CHARS}" in answer.extra["notice"]  # in the question's language


def test_a_long_preamble_keeps_the_question_asked_last(assistant):
    preamble = ("I have been reading about the years after the First World War for my history course, and "
                "the relations between the Ankara government and Soviet Russia confuse me a little. ") * 4
    answer = assistant.ask(preamble + "When was the Treaty of Moscow signed?")
    assert len(preamble) > MAX_QUESTION_CHARS
    assert answer.question.endswith("When was the Treaty of Moscow signed?")
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert "16 Mart 1921" in answer.text and not answer.abstained
    assert "left out" in answer.extra["notice"]


def test_a_question_without_spaces_is_cut_at_the_limit():
    clean = clean_question("x" * 10_000)
    assert len(clean.text) <= MAX_QUESTION_CHARS and clean.omitted == 10_000 - len(clean.text)


def test_cli_shows_the_notice_in_text_and_json(fake_encoder, source_copy, tmp_path, capsys):
    long = MOSCOW + " " + "tarih " * 2000
    assert _cli([long], source_copy, tmp_path) == 0
    out = capsys.readouterr().out
    assert out.startswith("(Soru uzundu")
    assert _cli(["--json", long], source_copy, tmp_path) == 0
    record = json.loads(capsys.readouterr().out)
    assert f"sınır {MAX_QUESTION_CHARS}" in record["notice"]


def test_nul_control_and_direction_characters_are_ignored(assistant, baseline):
    answer = assistant.ask("Moskova\x00 Antlaşması\x07 ne\x1b zaman\u202e imzalandı?\x7f")
    assert answer.question == MOSCOW
    assert answer.text == baseline.text


def test_invalid_utf8_on_the_command_line_is_replaced(fake_encoder, source_copy, tmp_path, capsys):
    # What Python puts in sys.argv for the bytes b"\xff\xfe": lone surrogates (surrogateescape).
    assert _cli(["--json", MOSCOW + "\udcff\udcfe"], source_copy, tmp_path) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")  # printable: a lone surrogate would make a real stdout raise here
    assert json.loads(out)["question"] == MOSCOW


def test_invalid_utf8_on_stdin_is_replaced(fake_encoder, source_copy, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MOSCOW.encode() + b"\xff\xc5\n")))
    assert _cli(["--json"], source_copy, tmp_path) == 0
    assert json.loads(capsys.readouterr().out)["question"] == MOSCOW


@pytest.mark.parametrize("stdin", [False, True])
def test_real_process_with_only_invalid_bytes_says_one_line(stdin):
    """Bytes that are not UTF-8, through a real argv or stdin: one line, status 2, no traceback."""
    argv = [sys.executable, "-m", "rag_history.cli", "ask"]
    run = subprocess.run(argv if stdin else argv + [b"\xff\xfe\xc3"], input=b"\xff\xfe\x00" if stdin else b"",
                         capture_output=True, timeout=60)
    assert run.returncode == 2
    assert EMPTY_MESSAGE in run.stderr.decode() and b"Traceback" not in run.stderr
    assert run.stderr.count(b"\n") == 1


@pytest.mark.parametrize("question", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)> " + MOSCOW,
    "[tıkla](javascript:alert(1)) " + MOSCOW,
    "**" + MOSCOW + "**  <!-- -->",
])
def test_markup_in_a_question_is_plain_text_and_never_echoed(assistant, article_text, question):
    answer = assistant.ask(question)
    for markup in ("<script", "onerror", "javascript:", "<img", "<!--"):
        assert markup not in answer.text
    assert all(s.text in " ".join(article_text.split()) or s.text in article_text for s in answer.sentences)


def test_emoji_and_right_to_left_questions_are_answered(assistant, baseline):
    assert assistant.ask("🇹🇷 " + MOSCOW + " 😀").text == baseline.text
    for question in ("متى تم توقيع معاهدة موسكو؟", "\u202bמתי נחתם הסכם מוסקבה?\u202c"):
        answer = assistant.ask(question)
        assert answer.text and "\u202b" not in answer.question and "\u202c" not in answer.question
