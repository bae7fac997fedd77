"""Round trips through the web server's /ask API with gradio_client on loopback.

Starts `rag-history serve` on 127.0.0.1 and a free port as its own process (so its peak memory is
its own), runs a fixed number of requests with 1 and with 16 concurrent clients, then stops the
server. The run is bounded: every request has a timeout and the whole run a deadline.

    python benchmarks/server.py --out results/server.json [--requests 20]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import RAG_HISTORY, ROOT, peak_rss_mb, questions, rss_mb, summary_ms, write_json

# gradio_client passes `ssl_verify` to every httpx call it makes, and a bare True makes httpx load
# the system CA bundle again for each one (about 0.1 s of client CPU per request here, on the same
# two cores as the server). One context built up front verifies the same way and is built once;
# on plain-HTTP loopback it is never even used.
SSL_CONTEXT = ssl.create_default_context()
OFFLINE = {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}  # loopback only, no telemetry

STARTUP_TIMEOUT = 300  # seconds: the index build (private copy) and the imports on a loaded machine
REQUEST_TIMEOUT = 30
RUN_DEADLINE = 600


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def private_env(index_dir: str, sources: Path = ROOT / "source_texts") -> dict:
    return {**os.environ, **OFFLINE, "RAG_HISTORY_INDEX": index_dir, "RAG_HISTORY_SOURCES": str(sources)}


def start_server(index_dir: str, port: int, sources: Path = ROOT / "source_texts") -> subprocess.Popen:
    """The product's `rag-history serve` on 127.0.0.1, once it listens."""
    cmd = [RAG_HISTORY, "serve", "-q", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=private_env(index_dir, sources), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()  # the server prints its URL once it listens
        if not line and proc.poll() is not None:
            raise RuntimeError("the server exited:\n" + "".join(lines[-30:]))
        lines.append(line)
        if line.startswith("Ask the article"):
            # Keep draining its output so a full pipe never blocks the server.
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc
    proc.kill()
    raise RuntimeError("the server did not start in time:\n" + "".join(lines[-30:]))


@contextlib.contextmanager
def running_server(index_dir: str, sources: Path = ROOT / "source_texts"):
    """`rag-history serve` on a free port of 127.0.0.1 while the block runs: (port, process).
    Stopped after it; its index is a temporary copy, so a kill is enough if it does not stop."""
    port = free_port()
    proc = start_server(index_dir, port, sources)
    try:
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


@contextlib.contextmanager
def article_server(prefix: str):
    """running_server() over a fresh index of source_texts/ in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        subprocess.run([RAG_HISTORY, "build", "-q"], env=private_env(tmp), check=True, stdout=subprocess.DEVNULL)
        with running_server(tmp) as served:
            yield served


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc/PID/stat)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(url: str, clients: int, per_client: int, qs: list[str], server_pid: int) -> dict:
    """`clients` threads, each with its own gradio_client, each sending `per_client` questions."""
    from gradio_client import Client

    def one_client(c: int) -> tuple[list[float], int]:
        client = Client(url, verbose=False, analytics_enabled=False, ssl_verify=SSL_CONTEXT,
                        httpx_kwargs={"timeout": REQUEST_TIMEOUT})
        times, errors = [], 0
        for i in range(per_client):
            if time.monotonic() > stop_at:
                errors += per_client - i  # the deadline counts as failures, never as silence
                break
            question = qs[(c * per_client + i) % len(qs)]
            start = time.perf_counter()
            try:
                record = client.predict(question, api_name="/ask")
                if not isinstance(record, dict) or "answer" not in record:
                    errors += 1
            except Exception:
                errors += 1
                continue
            times.append(time.perf_counter() - start)
        client.close()
        return times, errors

    stop_at = time.monotonic() + RUN_DEADLINE
    server_cpu, client_cpu = cpu_seconds(server_pid), time.process_time()
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        outcomes = list(pool.map(one_client, range(clients)))
    wall = time.perf_counter() - start
    server_cpu, client_cpu = cpu_seconds(server_pid) - server_cpu, time.process_time() - client_cpu
    times = [t for ts, _ in outcomes for t in ts]
    errors = sum(e for _, e in outcomes)
    return {"clients": clients, "requests": clients * per_client, "errors": errors, **summary_ms(times),
            "requests_per_s": round(len(times) / wall, 1), "wall_s": round(wall, 2),
            # CPU per request does not depend on what else runs on the machine; wall time does.
            "server_cpu_ms_per_request": round(server_cpu / max(1, len(times)) * 1e3, 1),
            "client_cpu_ms_per_request": round(client_cpu / max(1, len(times)) * 1e3, 1),
            "load_avg": round(os.getloadavg()[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="write the figures here as JSON (default: print them)")
    parser.add_argument("--requests", type=int, default=20, help="requests per client in each run")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each concurrency level")
    args = parser.parse_args()

    qs = questions()
    with article_server("rag-bench-serve-") as (port, server):
        url = f"http://127.0.0.1:{port}/"
        idle = rss_mb(server.pid)
        load(url, 1, 5, qs, server.pid)  # warm-up
        runs = {f"{c}": [load(url, c, args.requests, qs, server.pid) for _ in range(args.repeats)]
                for c in (1, 16)}
        results = {"idle_rss_mb": round(idle, 1),
                   "peak_rss_mb": round(peak_rss_mb(server.pid), 1), "runs": runs}
    write_json(args.out, results)


if __name__ == "__main__":
    main()
