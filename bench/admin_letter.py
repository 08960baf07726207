"""Time the admin's screens for one large letter: its change form, its signature lines page, and their saves.

Run: .venv/bin/python bench/admin_letter.py --lines 600 [--browser]
Builds the letter (every line its own organization, two sections, withheld lines, a coalition with members) in a
throwaway SQLite file, then requests each screen in-process with Django's test client as a logged-in superuser:
the median time (and CPU time) of a few requests, the HTML size and the query count. With --browser, it also serves the archive
(`manage.py runserver`) and opens both screens in Debian's Chromium: the median time to the first byte and to the
page's load event (its scripts run, its styles applied). Prints figures; never asserts.
"""

import argparse
import datetime
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.TemporaryDirectory(prefix="admin-letter-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from letters.models import Letter, Signature  # noqa: E402
from organizations.models import Organization  # noqa: E402

PASSWORD = "a long password 123"


def build_letter(lines: int) -> Letter:
    letter = Letter.objects.create(
        title="A large open letter",
        slug="a-large-open-letter",
        date=datetime.date(2023, 5, 1),
        status=Letter.Status.PUBLISHED,
        body="We, the undersigned, call for an arms embargo.\n" * 20,
        source_text="\n".join(f"{n}. Organization {n:04d}" for n in range(1, lines + 1)),
        declared_signatory_count=lines,
    )
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Organization {n:04d}", slug=f"organization-{n}") for n in range(1, lines + 1)
    )
    Signature.objects.bulk_create(
        Signature(
            letter=letter,
            organization=org,
            position=n,
            listed_as=f"Organization {n:04d} as printed",
            section="Myanmar" if n <= lines // 2 else "International",
            withheld=n % 15 == 0,
        )
        for n, org in enumerate(orgs, start=1)
    )
    coalition = Signature.objects.get(letter=letter, position=1)
    Signature.objects.filter(letter=letter, position__in=range(2, 8)).update(member_of=coalition)
    return letter


def timed(
    client: Client, method: str, url: str, data: dict | None = None, runs: int = 5
) -> tuple[float, float, int, int]:
    """Median seconds and CPU seconds (this process's: the figure that a busy, shared machine disturbs least),
    bytes of the last response and its query count."""
    seconds, cpu = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url) if method == "GET" else client.post(url, data)
            seconds.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        if response.status_code not in (200, 302):
            sys.exit(f"{method} {url}: HTTP {response.status_code}")
    return statistics.median(seconds), statistics.median(cpu), len(response.content), len(queries.captured_queries)


def lines_page_data(letter: Letter, rows: int = 100) -> dict:
    """The first page of the letter's lines as a browser submits it, every value unchanged, "Save" pressed."""
    data = {"_save": "Save", "form-TOTAL_FORMS": rows, "form-INITIAL_FORMS": rows}
    for index, line in enumerate(Signature.objects.filter(letter=letter).order_by("position")[:rows]):
        values = {field: getattr(line, field) for field in ("id", "position", "listed_as", "section", "note")}
        values |= {"organization": line.organization_id, "member_of": line.member_of_id or ""}
        data |= {f"form-{index}-{field}": value for field, value in values.items()}
        data |= {f"form-{index}-withheld": "on"} if line.withheld else {}
    return data


def letter_form_data(letter: Letter) -> dict:
    """The letter's change form as a browser submits it, unchanged."""
    fields = ["title", "slug", "kind", "status", "language", "subject", "body", "source_url", "source_text"]
    data = {field: getattr(letter, field) for field in fields}
    data |= {"date": letter.date.isoformat(), "declared_signatory_count": letter.declared_signatory_count}
    return data | {"demands-TOTAL_FORMS": 0, "demands-INITIAL_FORMS": 0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_timings(paths: dict[str, str], runs: int) -> None:
    """Serve the archive and open each page `runs` times in Chromium; print median first byte and load times."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/robots.txt", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/admin/login/")
            page.fill("#id_username", "bench")
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_selector("#site-name")
            for name, path in paths.items():
                first_byte, loaded = [], []
                for _ in range(runs):
                    page.goto(base + path, wait_until="load")
                    entry = json.loads(page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])"))
                    first_byte.append(entry["responseStart"] - entry["requestStart"])
                    loaded.append(entry["loadEventEnd"] - entry["startTime"])
                median_first, median_loaded = statistics.median(first_byte), statistics.median(loaded)
                print(f"open {name:<22} {median_first:>7.0f} ms to the first byte, {median_loaded:>5.0f} ms to load")
            browser.close()
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=600)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also time the pages in Chromium")
    args = parser.parse_args()

    logging.disable(logging.INFO)  # django-axes logs each login
    call_command("migrate", verbosity=0)
    letter = build_letter(args.lines)
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", PASSWORD)
    client = Client()
    client.force_login(user)

    paths = {
        "letter change form": reverse("admin:letters_letter_change", args=[letter.pk]),
        "signature lines page": reverse("admin:letters_signature_changelist") + f"?letter__id__exact={letter.pk}",
    }
    data = {"letter change form": letter_form_data(letter), "signature lines page": lines_page_data(letter)}
    print(f"{args.lines} signature lines, median of {args.runs}")
    print(f"{'':<27} {'ms':>7} {'cpu ms':>7} {'bytes':>10} {'queries':>7}")
    for name, path in paths.items():
        seconds, cpu, size, queries = timed(client, "GET", path, runs=args.runs)
        print(f"GET  {name:<22} {seconds * 1000:>7.0f} {cpu * 1000:>7.0f} {size:>10,} {queries:>7}")
    for name, path in paths.items():
        seconds, cpu, _, queries = timed(client, "POST", path, data[name], runs=args.runs)
        print(f"POST {name:<22} {seconds * 1000:>7.0f} {cpu * 1000:>7.0f} {'':>10} {queries:>7}")
    if args.browser:
        connection.close()  # the server's process reads the same SQLite file
        browser_timings(paths, args.runs)


if __name__ == "__main__":
    main()
