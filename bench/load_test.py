"""Load test: N concurrent keep-alive connections for D seconds against letter, browse and search pages.

Run: .venv/bin/python bench/load_test.py [--duration 60] [--connections 64] [--workers 2]

It seeds a throwaway SQLite archive with the five seed letters (in a temporary directory), collects the static files,
starts gunicorn on 127.0.0.1 with production settings (DEBUG off, rate limits off: every client here shares one
address), warms up, then runs the connections as Python threads with http.client. It prints requests per second,
errors by status, median and 95th-percentile latency, and each worker's resident memory (VmRSS) at the start,
middle and end of the run, so growth shows. Traffic goes to loopback only, and the run is bounded in time and in
requests. Exits non-zero on any error response or on memory growth above --max-growth-mb per worker.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
MAX_REQUESTS = 2_000_000  # a hard bound, whatever the duration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    run = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{run.stderr}")
    return run.stdout


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return sorted(int(pid) for pid in children.read_text().split()) if children.exists() else []


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB; NaN if it is gone (a worker that died or was restarted)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return float("nan")
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path, headers={"Host": HOST, "Accept-Encoding": "gzip"})
    response = connection.getresponse()
    response.read()
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return response.status


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.count = 0


def client_loop(port: int, paths: list[str], deadline: float, stats: Stats, offset: int) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    index = offset
    latencies, statuses = [], Counter()
    while time.monotonic() < deadline:
        with stats.lock:
            if stats.count >= MAX_REQUESTS:
                break
            stats.count += 1
        path = paths[index % len(paths)]
        index += 1
        started = time.perf_counter()
        try:
            status = get(connection, path)
        except (OSError, http.client.HTTPException) as error:
            status = f"connection error: {type(error).__name__}"
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
        latencies.append(time.perf_counter() - started)
        statuses[status] += 1
    connection.close()
    with stats.lock:
        stats.latencies.extend(latencies)
        stats.statuses.update(statuses)


def run_load(port: int, paths: list[str], seconds: float, connections: int) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client_loop, args=(port, paths, deadline, stats, n), daemon=True)
        for n in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds of load (default 60).")
    parser.add_argument("--connections", type=int, default=64, help="Concurrent connections (default 64).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker (gthread; default 4).")
    parser.add_argument("--warmup", type=float, default=5.0, help="Seconds of load before measuring (default 5).")
    parser.add_argument("--max-growth-mb", type=float, default=20.0, help="Allowed RSS growth per worker.")
    parser.add_argument(
        "--cache-url", default="", help="CACHE_URL for the server, e.g. dummy:// to render every page (no page cache)."
    )
    options = parser.parse_args()
    if not 1 <= options.connections <= 256 or not 1 <= options.duration <= 600:
        sys.exit("Keep it bounded: 1-256 connections, 1-600 seconds.")

    workdir = Path(tempfile.mkdtemp(prefix="archive-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "false",
        "RATE_LIMITS": "false",
        "LOG_LEVEL": "WARNING",
        # The page cache's version file of this throwaway archive, not the one of the archive in this directory.
        "ARCHIVE_VERSION_FILE": str(workdir / "archive-version"),
    }
    if options.cache_url:
        env["CACHE_URL"] = options.cache_url
    server = None
    try:
        print("Seeding a throwaway archive and collecting static files...", flush=True)
        manage(env, "migrate", "--no-input")
        manage(env, "load_seed_letters")
        manage(env, "collectstatic", "--no-input")
        port = free_port()
        server_log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115  (closed with the directory)
        server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "archive.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(options.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(options.threads),
                "--log-level",
                "warning",
                # gunicorn.conf.py recycles workers every ~5000 requests; off here, so growth would show.
                "--max-requests",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stderr=server_log,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                with socket.create_connection((HOST, port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not start.")
        while len(worker_pids(server.pid)) < options.workers:
            time.sleep(0.2)

        probe = http.client.HTTPConnection(HOST, port, timeout=30)
        probe.request("GET", "/letters/", headers={"Host": HOST})
        browse = probe.getresponse().read().decode()
        probe.close()
        letters = sorted(set(re.findall(r'href="(/letters/\d{4}/\d\d/\d\d/[^/"]+/)"', browse)))
        if not letters:
            sys.exit("No letter found on /letters/.")
        paths = [
            letters[0],  # a letter page
            letters[-1],
            "/letters/",  # browse
            "/letters/?kind=open_letter",
            "/organizations/",
            "/organizations/?initial=M",
            "/letters/?q=junta",  # search
            "/letters/?q=arms+embargo",
            "/organizations/?q=youth",
            "/organizations/?q=union",
        ]
        workers = worker_pids(server.pid)
        print(
            f"gunicorn master {server.pid}, workers {workers}; {options.connections} connections; "
            f"CACHE_URL={env.get('CACHE_URL', '(default)')}.",
            flush=True,
        )
        print(f"Paths: {', '.join(paths)}", flush=True)

        run_load(port, paths, options.warmup, options.connections)
        memory = {pid: [rss_mb(pid)] for pid in workers}
        half = options.duration / 2
        first = run_load(port, paths, half, options.connections)
        for pid in workers:
            memory[pid].append(rss_mb(pid))
        second = run_load(port, paths, options.duration - half, options.connections)
        for pid in workers:
            memory[pid].append(rss_mb(pid))
        restarted = sorted(set(worker_pids(server.pid)) - set(workers))
        server_errors = (workdir / "gunicorn.log").read_text()[-3000:]
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)

    latencies = sorted(first.latencies + second.latencies)
    statuses = first.statuses + second.statuses
    total = sum(statuses.values())
    errors = {status: n for status, n in statuses.items() if status != 200}
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    print(f"\n{total} requests in {options.duration:.0f} s: {total / options.duration:.1f} requests/s")
    print(f"Responses: {dict(sorted(statuses.items(), key=str))}")
    print(f"Errors: {errors or 'none'}")
    print(f"Latency: median {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    print("Worker RSS (MB) at start / middle / end:")
    grew = False
    for pid, (start, middle, end) in memory.items():
        growth = end - start
        grew |= not growth <= options.max_growth_mb  # NaN (a worker gone) counts as growth
        print(f"  worker {pid}: {start:.1f} / {middle:.1f} / {end:.1f}  (growth {growth:+.1f} MB)")
    if restarted:
        print(f"Workers restarted during the run (new pids {restarted}); gunicorn said:\n{server_errors}")
    if errors or grew or restarted:
        print("FAILED: error responses, memory growth or a worker restart.")
        return 1
    print("OK: no error responses, no memory growth beyond the allowance.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
