"""Command line: rag-history build | ask | eval | citations | serve | log.

Errors a user can cause are printed as one line saying what to do (exit status 2), never as a
traceback. `ask` and `eval` do not import the web stack.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from pathlib import Path

from .config import Settings
from .embedding import DEFAULT_MODEL, MINILM, USE
from .errors import RagHistoryError


def _settings(args) -> Settings:
    return Settings.from_env(
        source_dir=Path(args.sources) if args.sources else None,
        index_dir=Path(args.index) if args.index else None,
        model=args.model,
        chunk_tokens=getattr(args, "chunk_tokens", None),
        chunk_overlap=getattr(args, "chunk_overlap", None),
        top_k=getattr(args, "k", None),
    )


def _load(args, progress: bool = True):
    from .assistant import Assistant

    return Assistant.load(_settings(args), build="never" if args.no_build else "auto", progress=progress)


def cmd_build(args) -> int:
    from .index import build_index, current_build

    settings = _settings(args)
    before = current_build(settings.index_dir)
    # Without --force, build_index keeps an index that is fresh and loads (and removes leftovers
    # of interrupted builds either way); it returns the build that is current when it is done.
    target = build_index(settings.source_dir, settings.index_dir, settings.build, progress=not args.quiet,
                         force=args.force)
    if target == before:
        print(f"The index in {settings.index_dir} is up to date ({settings.build.model}); use --force to rebuild.")
        return 0
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    print(f"Built {target}: {counts['sources']} source(s), {counts['passages']} passages, "
          f"{counts['sentences']} sentences, model {manifest['model']} ({manifest['dimension']} dims).")
    return 0


def _read_question(args):
    """The question as typed: str from argv (invalid UTF-8 as surrogates), bytes from stdin."""
    from .question import MAX_INPUT_BYTES

    if args.question and args.question != "-":
        return args.question
    return sys.stdin.buffer.read(MAX_INPUT_BYTES)


# What a source text may hold that a terminal would obey: C0/C1 controls (escape sequences that
# clear the screen or set the window title), bidi overrides. Tabs and newlines are kept.
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    return _TERMINAL_UNSAFE.sub("", str(text))


def json_text(value) -> str:
    """JSON for the terminal: readable letters, every control character escaped (JSON escapes
    C0 itself; C1 and bidi controls are escaped here)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def say(text: str = "") -> None:
    print(terminal_safe(text))


def cmd_ask(args) -> int:
    from .question import clean_question

    raw = _read_question(args)
    clean_question(raw)  # refuse an empty question before loading the model
    assistant = _load(args, progress=False)
    answer = assistant.ask(raw, source=args.text)  # cleans it again and notes any cut; -k is in the settings
    if args.json:
        print(json_text(answer.to_dict()))
        return 0
    _show(answer, args.sources_list)
    return 0


def _show(answer, passages: bool) -> None:
    """An answer in the terminal: the notice, what a follow-up was understood as, the short answer,
    the sentences with their references; a refusal with the two closest passages."""
    if answer.extra.get("notice"):
        say(f"({answer.extra['notice']})")
    if answer.about:
        say(f"({'konu' if answer.language == 'tr' else 'about'}: {answer.about})")
    if answer.short:
        say(f"→ {answer.short.display}")
    say(answer.text)
    shown = answer.passages[:2] if answer.abstained else (answer.passages if passages else [])
    if shown:
        say()
        if answer.abstained:
            say("En yakın pasajlar:" if answer.language == "tr" else "Closest passages:")
        for p in shown:
            say(f"- [{p.chunk.section}] {p.chunk.text[:160]}…")


def cmd_chat(args) -> int:
    """A conversation in the terminal: each question is read with the ones before it."""
    from .errors import QuestionError
    from .question import MAX_HISTORY_QUESTIONS

    assistant = _load(args, progress=False)
    history: list[str] = []
    interactive = sys.stdin.isatty()
    if interactive:
        print("Ask a question (Turkish or English); an empty line or Ctrl+D ends, /clear starts over.")
    while True:
        try:
            line = input("> " if interactive else "")
        except EOFError:
            return 0
        if not line.strip():
            if interactive:
                return 0
            continue
        if line.strip() == "/clear":
            history.clear()
            continue
        try:
            answer = assistant.ask(line, history=history[-MAX_HISTORY_QUESTIONS:], source=args.text)
        except QuestionError as exc:
            say(exc.in_language("en"))
            continue
        _show(answer, args.sources_list)
        say()
        history.append(line)


def cmd_eval(args) -> int:
    from .errors import OutputError
    from .evaluation import (GOLD_FIELDS, answer_record, check_sources, format_by_source, format_metrics, judge,
                             load_questions, metrics)
    from .output import check_output, save_elsewhere, write_atomic
    from .report import report_files, write_report

    # Everything a user can get wrong is refused here, before the model loads and the answering starts.
    questions = load_questions(Path(args.questions))
    out = Path(args.out)
    check_output(out, "--out", {"the question set": questions.path})
    report = Path(args.report) if args.report else None
    for target in report_files(report) if report else ():
        check_output(target, "--report", {"the question set": questions.path, "the --out file": out})
    assistant = _load(args)
    check_sources(questions, assistant.sources)

    from .index import Progress

    bar = Progress("Answering", len(questions.rows), enabled=not args.quiet)
    answers = []
    try:
        for row in questions.rows:
            answers.append(answer_record(assistant, row))
            bar.advance()
    except BaseException:  # interrupted or failed: keep what was computed
        if answers:
            saved = save_elsewhere(_jsonl(answers), out.name)
            print(f"rag-history: stopped after {len(answers)} of {len(questions.rows)} questions; "
                  f"their answers are saved in {saved}.", file=sys.stderr)
        raise
    problems, kept = [], out  # a late failure is reported at the end, once the figures are shown
    try:
        write_atomic(out, _jsonl(answers))
        print(f"Wrote {len(answers)} answers to {out}")
    except OSError as exc:
        kept = save_elsewhere(_jsonl(answers), out.name)
        problems.append(f"could not write --out {out} ({exc.strerror or exc}); the {len(answers)} answers "
                        f"are saved in {kept}.")
    outcomes = judge(questions.rows, answers)
    m = metrics(outcomes)
    if not m["scored"]:
        print(f"Nothing to score: no row of {questions.path} has gold fields ({', '.join(GOLD_FIELDS)}).")
    print(format_metrics(m))
    print(format_by_source(outcomes))
    if report:
        try:
            print(f"Report: {write_report(report, outcomes, assistant)}")
        except OSError as exc:
            problems.append(f"could not write --report {report} ({exc.strerror or exc}); the answers are in {kept}.")
    if problems:
        raise OutputError(" ".join(problems))
    return 0


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records)


def cmd_citations(args) -> int:
    assistant = _load(args)
    refs = assistant.references()
    if args.json:
        print(json.dumps([{
            "reference": r.key, "source": r.source, "status": r.status,
            "raw": r.citation.raw if r.citation else None, "pages": list(r.pages),
            "entry": r.entry.to_dict() if r.entry else None,
            "cited_by": [{"source": s.source, "section": s.section, "sentence": s.text, "start": s.start,
                          "end": s.end, "attribution": s.attribution} for s in r.sentences]}
            for r in refs], ensure_ascii=False, indent=2))
        return 0
    for r in refs:
        pages = f" s. {', '.join(r.pages)}" if r.pages else ""
        status = {"no entry": "  [no entry in the reference list]", "never cited": "  [never cited]"}.get(r.status, "")
        print(f"{r.key}{pages}{status}")
        if r.entry:
            print(f"    = {r.entry.raw[:150]}{'…' if len(r.entry.raw) > 150 else ''}")
        for s in r.sentences:
            how = "" if s.attribution == "own" else " (supported by the next reference)"
            print(f"    [{s.section}] {s.text[:110]}{'…' if len(s.text) > 110 else ''}{how}")
    return 0


def cmd_serve(args) -> int:
    from .web.options import ServeOptions, check_address, parse_port

    # Every option is checked before the model loads: a typo costs a second, not a model load.
    options = ServeOptions(host=args.host, port=parse_port(args.port), root_path=args.root_path,
                           frame_ancestors=args.frame_ancestors)
    check_address(options.host, options.port)
    question_log = None
    if args.question_log:  # opened before the model loads: an unusable log fails at once
        from .questionlog import QuestionLog

        question_log = QuestionLog.open(args.question_log)
    with question_log or contextlib.nullcontext():
        from .web.server import serve

        return serve(_load(args), host=options.host, port=options.port, root_path=options.root_path,
                     frame_ancestors=options.frame_ancestors, question_log=question_log)


def cmd_log(args) -> int:
    from .logreport import DEFAULT_TOP, default_language, render_log_report, write_log_report
    from .questionlog import read_log

    top = DEFAULT_TOP if args.top is None else args.top
    if top < 1:
        raise RagHistoryError(f"--top {top}: give how many of the most asked questions to list (1 or more).")
    entries = read_log(args.log)
    lang = args.lang or default_language()
    if args.out:
        path = write_log_report(entries, Path(args.out), lang, top=top, name=args.log)
        print(f"Report: {path}")
    else:
        sys.stdout.write(render_log_report(entries, lang, top=top, name=args.log))
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--sources", metavar="DIR", help="source texts directory (default: source_texts, "
                        "or $RAG_HISTORY_SOURCES)")
    common.add_argument("--index", metavar="DIR", help="index directory (default: index, or $RAG_HISTORY_INDEX)")
    common.add_argument("--model", help=f"embedding model: {DEFAULT_MODEL} (default), {USE}, {MINILM}, "
                        "or any sentence-transformers model name or path ($RAG_HISTORY_MODEL)")
    common.add_argument("--no-build", action="store_true", help="fail instead of building a missing or stale index")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bars")

    parser = argparse.ArgumentParser(prog="rag-history", description="Cited extractive answers from historical sources.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"rag-history {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", parents=[common], help="build the index from the source texts")
    p.add_argument("--chunk-tokens", type=int, help="chunk size in tokens (default 192)")
    p.add_argument("--chunk-overlap", type=int, help="chunk overlap in tokens (default 48)")
    p.add_argument("--force", action="store_true", help="rebuild even when the index is up to date")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("chat", parents=[common], help="a conversation in the terminal (follow-up questions)")
    p.add_argument("--text", metavar="FILE", help="answer from this text of source_texts/ only")
    p.add_argument("--show-sources", dest="sources_list", action="store_true", help="list the retrieved passages")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("ask", parents=[common], help="answer one question ('-' or nothing: read stdin)")
    p.add_argument("--text", metavar="FILE", help="answer from this text of source_texts/ only")
    p.add_argument("question", nargs="?", default="-")
    p.add_argument("--json", action="store_true", help="print the answer record (CONTRACT.md) as JSON")
    p.add_argument("-k", type=int, default=None, help="passages to retrieve (default 5)")
    p.add_argument("--show-sources", dest="sources_list", action="store_true", help="list the retrieved passages")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", parents=[common], help="answer a JSONL question set and score it")
    p.add_argument("questions", help="JSON Lines with id and question (and gold fields to score)")
    p.add_argument("--out", required=True, help="where to write the answer records (JSON Lines)")
    p.add_argument("--report", metavar="FILE", help="also write a readable report (Markdown or .html)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("citations", parents=[common], help="list every reference and where it is cited")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_citations)

    p = sub.add_parser("serve", parents=[common], help="start the web chat")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    # A string, checked by ServeOptions: a bad value gets one line, not argparse's usage text.
    p.add_argument("--port", default="7860", help="port to listen on (default 7860; 0: any free port)")
    p.add_argument("--root-path", default="", help="URL prefix when served behind a reverse proxy, "
                   "or the full public URL (https://host/prefix)")
    p.add_argument("--frame-ancestors", default=None,
                   help="sites allowed to embed the chat in an iframe (CSP frame-ancestors; default: any)")
    p.add_argument("--question-log", metavar="FILE", default=None,
                   help="log each question, its answer and the chat's thumbs up/down in this SQLite file "
                        "(default: nothing is logged); report on it with `rag-history log FILE`")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("log", help="report on a question log: most asked, unanswered and thumbs-down questions")
    p.add_argument("log", metavar="FILE", help="the log written by `rag-history serve --question-log FILE`")
    p.add_argument("--out", metavar="FILE", help="write the report to FILE: HTML for .html, else Markdown "
                   "(default: Markdown on stdout)")
    p.add_argument("--lang", choices=("tr", "en"), default=None,
                   help="the report's language (default: tr under a Turkish locale ($LANG), else en)")
    p.add_argument("--top", type=int, default=None, help="how many of the most asked questions to list (default 20)")
    p.set_defaults(func=cmd_log)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except RagHistoryError as exc:
        print(f"rag-history: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `rag-history ask ... | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("rag-history: interrupted; the previous index, if any, is unchanged.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
