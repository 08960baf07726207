"""Public pages under load, as a ratio to a static file served by the same gunicorn in the same run.

Run: .venv/bin/python bench/pages.py                       # modest: 500 letters / 5,000 organizations, SQLite
     DATABASE_URL=postgres://.../scale .venv/bin/python bench/pages.py --letters 20000 --organizations 200000
Builds the archive with `generate_archive` (skipped when the database already holds one: --reuse is implied),
collects static files, starts gunicorn (gunicorn.conf.py, 2 gthread workers) with the cache on (locmem://, one cache
per worker process) and then off (dummy://), and loads every public page from a second process (wrk with 8
connections when installed, else a Python client with 8 threads), in rounds (--rounds, 3: the static file
first in each). Prints median and p95 latency per page (medians over the rounds), its ratio to /static/css/site.css
(the median of its rounds' ratios, leaving out rounds where one worker served the static file alone; each round's
ratio beside it with the busier worker's share of the workers' CPU, "?" if a worker was recycled during the run),
errors, the CPU a request cost the workers and the local PostgreSQL server (ms) and the workers' CPU as a ratio to the
static file's, then /data/signatures.csv rows per second and the worker's peak memory, and
`import_letter --dry-run` of a 415-line letter minus Django's start-up. Prints figures; never asserts.
"""

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.exports import children, free_port, memory_kb  # noqa: E402

PYTHON = str(ROOT / ".venv/bin/python")
JAPAN_LETTER = ROOT / "fixtures/letters/2022-07-14-japan-defence-minister.txt"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d\\n", latency:percentile(50), latency:percentile(95),
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)


def pick_pages(env: dict) -> list[tuple[str, str]]:
    """The pages the issue names: home, search, by signer, the largest letter, the busiest organization, org search."""
    script = """
from django.db.models import Count
from letters.models import Letter, Signature
from organizations.filters import public_signatures
letter = Letter.objects.published().annotate(n=Count("signatures")).order_by("-n", "pk").first()
org = (public_signatures().values("organization__slug").annotate(n=Count("pk")).order_by("-n").first())
print("PAGES", letter.get_absolute_url(), letter.n, org["organization__slug"], org["n"])
"""
    output = manage("shell", "-c", script, env=env).stdout
    url, size, slug, signed = next(line for line in output.splitlines() if line.startswith("PAGES")).split()[1:]
    return [
        ("static file (baseline)", "/static/css/site.css"),
        ("home", "/"),
        ("browse, text search", "/letters/?q=arms+embargo"),
        ("browse by signer", f"/letters/?signer={slug}"),
        (f"largest letter ({size} lines)", url),
        (f"busiest organization ({signed} letters)", f"/organizations/{slug}/"),
        ("organization search", "/organizations/?q=union"),
    ]


def load_wrk(base: str, path: str, seconds: float, connections: int) -> tuple[float, float, int, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        script.name,
    ]
    run = subprocess.run([*command, base + path], capture_output=True, text=True, check=True)
    os.unlink(script.name)
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT"))
    median, p95, requests, errors = (int(x) for x in line.split()[1:])
    return median / 1000, p95 / 1000, requests, errors


def load_python(host: str, port: int, path: str, seconds: float, connections: int) -> tuple[float, float, int, int]:
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn = http.client.HTTPConnection(host, port, timeout=30)
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return statistics.median(latencies), latencies[int(len(latencies) * 0.95)], len(latencies), errors[0]


class Server:
    def __init__(self, env: dict, workers: int) -> None:
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)}
        self.env["GUNICORN_LOG_LEVEL"] = "warning"
        command = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "archive.wsgi"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/robots.txt", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(server: Server, pages, seconds: float, connections: int, rounds: int) -> list[tuple]:
    """Each page's median and p95 in each of `rounds` rounds, the static file first in every round.

    In rounds rather than in one go: the machine's speed drifts over minutes (other tenants, 2 shared cores), and
    each run opens new connections, which the 2 workers share out by chance (a worker holding 6 of 8 keep-alive
    connections runs them on one core). A page is compared with the static file of its own round, so that the
    machine's drift cancels out; the ratio that decides is the median of those rounds' ratios, leaving out the rounds
    where one worker served the static file alone (its median 2-4x slower: dividing by it made heavy pages look 2-3x
    better than they were). The page's own uneven rounds are kept: they are the server's to answer for.
    """
    base = f"http://127.0.0.1:{server.port}"
    for _name, path in pages:
        for _ in range(12):  # warm up: fill the cache of both workers, open database connections
            urllib.request.urlopen(base + path, timeout=120).read()
    runs = {path: [] for _name, path in pages}
    for _ in range(rounds):
        for _name, path in pages:
            # Let the last run's requests finish first: a worker still busy with them accepts none of the new run's
            # connections, which then all go to the other (one core idle for the whole run).
            time.sleep(1)
            workers = children(server.process.pid)  # again each run: gunicorn recycles a worker now and then
            before = [cpu_ticks(pid) for pid in workers]
            database = {pid: cpu_ticks(pid) for pid in database_pids()}
            if shutil.which("wrk"):
                run = load_wrk(base, path, seconds / rounds, connections)
            else:
                run = load_python("127.0.0.1", server.port, path, seconds / rounds, connections)
            used = [max(cpu_ticks(pid) - ticks, 0) for pid, ticks in zip(workers, before, strict=True)]
            database_used = sum(max(cpu_ticks(pid) - ticks, 0) for pid, ticks in database.items())
            # None when a worker was recycled during the run: its replacement's CPU was not counted.
            busier = max(used) / max(sum(used), 1) if children(server.process.pid) == workers else None
            median, p95, requests, errors = run
            per_request = 1000 / TICKS_PER_SECOND / max(requests, 1)  # ms of CPU a request, from clock ticks
            runs[path].append(
                Run(median, p95, requests, errors, busier, sum(used) * per_request, database_used * per_request)
            )
    static_runs = runs[pages[0][1]]
    even = [n for n, run in enumerate(static_runs) if run.busier is not None and run.busier <= EVEN_SHARE]
    static_worker_ms = statistics.median(run.worker_ms for run in static_runs)
    rows = []
    for name, path in pages:
        ratios = [run.median / max(static.median, 1e-6) for run, static in zip(runs[path], static_runs, strict=True)]
        worker_ms = statistics.median(run.worker_ms for run in runs[path])
        rows.append(
            PageRow(
                name,
                statistics.median(run.median for run in runs[path]),
                statistics.median(run.p95 for run in runs[path]),
                statistics.median(ratios[n] for n in even or range(rounds)),
                ratios,
                sum(run.requests for run in runs[path]),
                sum(run.errors for run in runs[path]),
                [run.busier for run in runs[path]],
                worker_ms,
                statistics.median(run.database_ms for run in runs[path]),
                worker_ms / max(static_worker_ms, 1e-6),
            )
        )
    return rows


class Run(NamedTuple):
    """One page's load in one round: latencies in ms, and the busier worker's share of the workers' CPU."""

    median: float
    p95: float
    requests: int
    errors: int
    busier: float | None
    worker_ms: float  # CPU the gunicorn workers spent a request
    database_ms: float  # CPU the PostgreSQL server's processes spent a request (0 on SQLite: it runs in the worker)


class PageRow(NamedTuple):
    """A page's figures over the rounds: medians, unless a list (one per round) or a sum (requests, errors)."""

    name: str
    median: float
    p95: float
    ratio: float
    ratios: list[float]
    requests: int
    errors: int
    busier: list[float | None]
    worker_ms: float
    database_ms: float
    # The worker CPU a request costs, as a ratio to the static file's. On this machine wrk, PostgreSQL and both
    # workers share 2 cores, so the latency ratio is near (worker + database + wrk CPU) / static CPU; where the two
    # workers have a core each to themselves, it comes near this ratio instead.
    cpu_ratio: float


TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
# The busier worker's share of the workers' CPU up to which a run counts as spread over both (50% is even).
EVEN_SHARE = 0.75


def cpu_ticks(pid: int) -> int:
    """CPU time (user + system, in clock ticks) the process has used so far; 0 once it has exited."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0
    return int(fields[11]) + int(fields[12])


def database_pids() -> list[int]:
    """The PostgreSQL server's processes on this machine (none for SQLite, or a database elsewhere)."""
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "postgres":
                pids.append(int(comm.parent.name))
        except OSError:  # the process ended while we looked
            continue
    return pids


def print_table(title: str, rows: list[PageRow], limit: float) -> None:
    print(f"\n{title}")
    print(
        f"{'page':38} {'median ms':>9} {'p95 ms':>8} {'ratio':>6} {'requests':>8} {'errors':>6}  {'target':14} "
        f"{'worker':>6} {'db':>5} {'cpu':>5}  by round"
    )
    for row in rows:
        ratio = row.ratio
        verdict = "" if row.name.startswith("static") else ("met" if ratio <= limit else "MISSED")
        if row.requests == 0:
            ratio, verdict = float("inf"), "MISSED (no response completed within the run)"
        # With each round's ratio, the busier worker's share of the workers' CPU: 50% when the connections were
        # shared evenly, near 100% when one worker held them all and the other core sat idle.
        by_round = " ".join(
            f"{r:.1f}x/{'?' if share is None else f'{share:.0%}'}"
            for r, share in zip(row.ratios, row.busier, strict=True)
        )
        print(
            f"{row.name:38} {row.median:9.2f} {row.p95:8.2f} {ratio:5.1f}x {row.requests:8} {row.errors:6}  "
            f"{f'{verdict} (<= {limit:g}x)':14} {row.worker_ms:6.2f} {row.database_ms:5.2f} {row.cpu_ratio:4.1f}x  "
            f"{by_round}"
        )


def stream_signatures(server: Server) -> None:
    worker_pids = children(server.process.pid)
    started = time.perf_counter()
    lines = size = 0
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/data/signatures.csv", timeout=1200) as response:
        while chunk := response.read(1 << 16):
            lines += chunk.count(b"\n")
            size += len(chunk)
    seconds = time.perf_counter() - started
    peak = max(memory_kb(pid, "VmHWM") for pid in worker_pids) / 1024
    print(f"\n/data/signatures.csv: {lines - 1:,} rows, {size / 1e6:,.0f} MB in {seconds:.1f} s")
    print(f"  {(lines - 1) / seconds:,.0f} rows/s (target >= 200,000); worker peak RSS (VmHWM) {peak:,.0f} MB")


def time_import(env: dict) -> None:
    def best(*args: str) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            manage(*args, env=env)
            times.append(time.perf_counter() - started)
        return min(times)

    startup = best("check")
    dry_run = best("import_letter", str(JAPAN_LETTER), "--dry-run")
    print(
        f"\nimport_letter --dry-run of {JAPAN_LETTER.name} (415 lines): {dry_run:.2f} s; manage.py check {startup:.2f} s"
    )
    print(f"  {dry_run - startup:.2f} s beyond Django's start-up (target < 1 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=5, help="load per page (default 5 s)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds the seconds are split into (default 3)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="pages-bench-")
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL"}}
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir.name}/bench.sqlite3")
    env.update(DEBUG="false", SECRET_KEY="benchmark-only", ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false")
    env.update(LOG_LEVEL="WARNING", ARCHIVE_VERSION_FILE=f"{workdir.name}/version")
    print(
        f"database: {env['DATABASE_URL'].split('@')[-1]}; {args.workers} gunicorn workers, {args.connections} connections"
    )
    manage("migrate", "--no-input", env=env)
    started = time.perf_counter()
    try:
        built = manage(
            "generate_archive",
            f"--letters={args.letters}",
            f"--organizations={args.organizations}",
            f"--seed={args.seed}",
            env=env,
        )
        print(f"built: {built.stdout.strip().splitlines()[-1]} ({time.perf_counter() - started:.0f} s)")
    except subprocess.CalledProcessError as error:
        if "not empty" not in error.stderr:
            raise
        print("built: the database already holds an archive; reusing it")
    manage("collectstatic", "--no-input", env=env)
    pages = pick_pages(env)

    for title, url, limit in (
        ("cache on (locmem://, one per worker)", "locmem://", 3),
        ("cache off (dummy://)", "dummy://", 25),
    ):
        server = Server({**env, "CACHE_URL": url}, args.workers)
        try:
            rows = measure(server, pages, args.seconds, args.connections, args.rounds)
            print_table(title, rows, limit)
            if url == "dummy://" and not args.skip_exports:
                stream_signatures(server)
        finally:
            server.stop()
    if not args.skip_import:
        time_import(env)
    workdir.cleanup()


if __name__ == "__main__":
    main()
