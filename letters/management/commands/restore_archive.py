from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from letters.backups import BackupError, detect_format, json_contents, pg_contents, restore_json, restore_pg


class Command(BaseCommand):
    help = (
        "Restore a backup written by backup_archive. The format is read from the file: a json backup is loaded in "
        "one transaction into an empty archive (--replace empties the archive first); a pg backup is restored "
        "with pg_restore --clean --if-exists in one transaction, replacing the whole PostgreSQL database."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Backup file to read.")
        parser.add_argument("--replace", action="store_true", help="json: delete the archive's rows first.")
        parser.add_argument("--dry-run", action="store_true", help="List what the backup holds, change nothing.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        kind = detect_format(path)
        try:
            if options["dry_run"]:
                if kind == "pg":
                    tables = pg_contents(path)
                    self.stdout.write(f"A pg backup of {len(tables)} tables: {', '.join(sorted(tables))}.")
                else:
                    for model, count in sorted(json_contents(path).items()):
                        self.stdout.write(f"{model}: {count}")
                return
            if kind == "pg":
                if connection.vendor != "postgresql":
                    raise CommandError("This is a pg backup: restore it into PostgreSQL (DATABASE_URL=postgres://...).")
                connection.close()
                restore_pg(path, connection.settings_dict)
            else:
                restore_json(path, replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored the {kind} backup {path}."))
