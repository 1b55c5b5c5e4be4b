from django.core.management.base import BaseCommand, CommandError

from documents.services import issue_missing, remove_orphan_files


class Command(BaseCommand):
    help = (
        "Issue the signed PDF and verification record of every submitted report version, recorded decree and "
        "approved minutes that has none yet (made before issued documents existed, or while the PDF font or "
        "the certificate was missing). Says how many it made and how many still wait, and why; a second run "
        "makes none. Each document is issued on its own: a province whose certificate cannot be opened holds "
        "back only its own. Then removes stored PDFs no record names (work rolled back after its PDF was "
        "stored), older than an hour."
    )

    def handle(self, *args, **options):
        made, waiting, reasons = issue_missing()
        for kind in made:
            line = f"{kind}: {made[kind]} document(s) issued"
            if waiting[kind]:
                line += f", {waiting[kind]} still waiting"
            self.stdout.write(line)
        self.stdout.write(f"{sum(made.values())} document(s) issued in all.")
        removed = remove_orphan_files()
        if removed:
            self.stdout.write(f"{removed} stored PDF(s) without a record removed.")
        if reasons:
            raise CommandError(f"{sum(waiting.values())} document(s) cannot be issued yet: " + "; ".join(reasons))
        self.stdout.write(self.style.SUCCESS("Every issued document has its record and PDF."))
