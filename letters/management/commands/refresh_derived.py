from django.core.management.base import BaseCommand

from letters.counts import counts_drift, refresh_all_counts
from organizations.match_index import rebuild_match_index


class Command(BaseCommand):
    help = (
        "Recompute what the archive derives from its letters and names: the stored public counts (letters.counts) "
        "and the matcher's index (organizations.match_index). Signals and the import keep both fresh; run this "
        "after writing to the database by other means (SQL, queryset.update() in a shell), or when check_leaks "
        "reports stale counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list the counts that differ; change nothing.")

    def handle(self, *args, **options):
        drift = counts_drift()
        for line in drift:
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write(f"{len(drift)} stale count(s) found (listing stops at 20 per kind); nothing changed.")
            return
        refresh_all_counts()
        names = rebuild_match_index()
        self.stdout.write(self.style.SUCCESS(f"Public counts recounted; matcher index rebuilt ({names:,} names)."))
