"""The question log (`serve --question-log`): what a durable write costs, alone and with 32
writers, and how long the teacher's report takes on a large log.

Answer records are real: the question set answered by the Assistant over a private copy of the
index (a temporary directory). The log is written in a temporary directory on the same disk as
the repository, since what a write costs is an fsync of that disk.

    python benchmarks/question_log.py --out results/question_log.json [--writes 500] [--entries 10000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, median, questions, summary_ms, write_json

THREADS = 32  # the concurrent clients


def records() -> list[dict]:
    from rag_history import Assistant
    from rag_history.config import Settings

    with tempfile.TemporaryDirectory(dir=ROOT) as index:
        settings = Settings.from_env(index_dir=Path(index), source_dir=ROOT / "source_texts")
        assistant = Assistant.load(settings, build="auto", log=lambda msg: None)
        return [assistant.ask(q).to_dict() for q in questions()]


def timed(fn, n: int) -> list[float]:
    out = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out")
    parser.add_argument("--writes", type=int, default=500, help="writes timed one at a time")
    parser.add_argument("--entries", type=int, default=10_000, help="entries in the log the report is timed on")
    args = parser.parse_args()

    from rag_history.logreport import render_log_report
    from rag_history.questionlog import QuestionLog, read_log

    answers = records()
    sizes = [len(json.dumps(r, ensure_ascii=False).encode()) / 1024 for r in answers]
    result = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "records": len(answers),
              "record_kb_median": round(median(sizes), 1)}
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        path = Path(tmp) / "course.db"
        with QuestionLog.open(path) as log:
            ids = []
            result["record"] = summary_ms(timed(lambda i: ids.append(log.record(answers[i % len(answers)],
                                                                                 limited_to=None)), args.writes))
            result["feedback"] = summary_ms(timed(lambda i: log.feedback(ids[i], up=i % 2 == 0), args.writes))

            per_call: list[float] = []
            lock = threading.Lock()

            def client(t: int) -> None:
                durations = timed(lambda i: log.record(answers[(t + i) % len(answers)], limited_to=None),
                                  args.writes // THREADS)
                with lock:
                    per_call.extend(durations)

            threads = [threading.Thread(target=client, args=(t,)) for t in range(THREADS)]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - start
            result["record_threads"] = {**summary_ms(per_call), "threads": THREADS,
                                        "writes_per_s": round(len(per_call) / wall, 1)}

            for i in range(args.entries - len(ids) - len(per_call)):  # fill the log for the report (untimed)
                log.record(answers[i % len(answers)], limited_to=None)
        result["report"] = {"entries": len(read_log(path)), "file_mb": round(path.stat().st_size / 2**20, 1)}
        walls = []
        for _ in range(3):
            start = time.perf_counter()
            render_log_report(read_log(path), "en")
            walls.append(time.perf_counter() - start)
        result["report"]["read_and_render_median_s"] = round(median(walls), 3)
    write_json(args.out, result)


if __name__ == "__main__":
    main()
