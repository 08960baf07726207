from django.core.management.base import BaseCommand, CommandError

from letters.leaks import check_leaks


class Command(BaseCommand):
    help = (
        "Plant a draft letter and withheld signatories with unique names (one on a letter whose stated total would "
        "count it), crawl every public page, search, feed, sitemap, CSV and API address an anonymous visitor can "
        "reach, and report any place a name or that stated total shows. Everything planted is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--max-pages", type=int, default=5000, help="Stop after this many addresses.")

    def handle(self, *args, **options):
        report = check_leaks(max_pages=options["max_pages"])
        self.stdout.write(f"Crawled {report.pages} public addresses.")
        problems = report.leaks + report.visible + report.errors + report.stale
        for problem in problems:
            self.stderr.write(self.style.ERROR(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s): a secret reached a public surface or a page failed.")
        self.stdout.write(self.style.SUCCESS("No planted secret reached any public surface."))
