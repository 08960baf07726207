"""Stream /data/signatures.csv of a large archive from a real server; print rows per second and its peak memory.

Run: .venv/bin/python bench/exports.py --letters 2000 --signatures-per-letter 200
Builds the archive with bulk inserts in a temporary SQLite file (or in an empty database at DATABASE_URL, e.g. a
throwaway PostgreSQL), starts gunicorn on 127.0.0.1, downloads the file, and reads the worker's peak resident
memory (VmHWM in /proc/<pid>/status). Prints figures; never asserts.
"""

import argparse
import datetime
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def build_archive(letters: int, per_letter: int, organizations: int, withheld_every: int) -> int:
    """Bulk-insert published letters, a pool of organizations and `per_letter` signatures a letter."""
    from django.core.management import call_command
    from django.db import transaction

    from letters.models import Letter, Signature
    from organizations.models import Organization

    call_command("migrate", verbosity=0)
    if Letter.objects.exists():
        sys.exit("The database already holds letters: point DATABASE_URL at an empty, throwaway database.")
    with transaction.atomic():
        Organization.objects.bulk_create(
            (Organization(name=f"Organization {n:06d}", slug=f"organization-{n}") for n in range(organizations)),
            batch_size=5000,
        )
        org_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
        start = datetime.date(2015, 1, 1)
        Letter.objects.bulk_create(
            (
                Letter(
                    title=f"Open letter {n}",
                    slug=f"open-letter-{n}",
                    date=start + datetime.timedelta(days=n % 3650),
                    status=Letter.Status.PUBLISHED,
                )
                for n in range(letters)
            ),
            batch_size=2000,
        )
        letter_ids = list(Letter.objects.order_by("pk").values_list("pk", flat=True))
        rows = 0
        for index, letter_id in enumerate(letter_ids):
            offset = index * 7919  # a different slice of the pool for each letter, so pairs vary
            Signature.objects.bulk_create(
                Signature(
                    letter_id=letter_id,
                    organization_id=org_ids[(offset + n) % len(org_ids)],
                    position=n + 1,
                    listed_as=f"Organization {(offset + n) % len(org_ids):06d} – ငြိမ်းချမ်းရေး",
                    withheld=withheld_every > 0 and n % withheld_every == 0,
                )
                for n in range(per_letter)
            )
            rows += per_letter
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--signatures-per-letter", type=int, default=200)
    parser.add_argument("--organizations", type=int, default=20000)
    parser.add_argument("--withheld-every", type=int, default=50, help="mark every Nth line withheld (0: none)")
    args = parser.parse_args()
    if args.signatures_per_letter > args.organizations:
        sys.exit("--signatures-per-letter cannot exceed --organizations (one signature per organization a letter).")

    workdir = tempfile.TemporaryDirectory(prefix="exports-bench-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()

    started = time.perf_counter()
    inserted = build_archive(args.letters, args.signatures_per_letter, args.organizations, args.withheld_every)
    print(f"database: {database_url.split('@')[-1]}")
    print(f"built:    {args.letters:,} letters, {inserted:,} signatures in {time.perf_counter() - started:.1f} s")

    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    # gthread: a sync worker is killed by the arbiter when one response takes longer than --timeout.
    command = [str(ROOT / ".venv/bin/gunicorn"), "archive.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    command += ["--worker-class", "gthread", "--threads", "2", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        url = f"http://127.0.0.1:{port}/data/signatures.csv"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        worker = children(server.pid)[0]
        before = memory_kb(worker, "VmRSS")

        started = time.perf_counter()
        lines = size = 0
        first_byte = None
        with urllib.request.urlopen(url, timeout=600) as response:
            disposition = response.headers["Content-Disposition"]
            while chunk := response.read(1 << 16):
                first_byte = first_byte or time.perf_counter() - started
                lines += chunk.count(b"\n")
                size += len(chunk)
        seconds = time.perf_counter() - started
        rows = lines - 1  # the header

        print(f"url:      {url} ({disposition})")
        print(f"rows:     {rows:,} ({size / 1e6:,.1f} MB)")
        print(f"seconds:  {seconds:.2f} (first byte after {first_byte:.3f} s)")
        print(f"rate:     {rows / seconds:,.0f} rows/s")
        print(
            f"worker:   RSS {before / 1024:.1f} MB before the request, peak (VmHWM) {memory_kb(worker, 'VmHWM') / 1024:.1f} MB"
        )
        print(f"master:   peak (VmHWM) {memory_kb(server.pid, 'VmHWM') / 1024:.1f} MB")
    finally:
        server.terminate()
        server.wait(timeout=10)
        workdir.cleanup()


if __name__ == "__main__":
    main()
