from django.core.management.base import BaseCommand, CommandError

from documents.pdf import ExportUnavailable
from documents.services import issue_missing
from documents.signing import SigningUnavailable


class Command(BaseCommand):
    help = (
        "Issue the signed PDF and verification record of every submitted report version, recorded decree and "
        "approved minutes that has none yet (made before issued documents existed, or while the PDF font or "
        "the certificate was missing). Says how many it made; a second run makes none. Each document is "
        "issued on its own, so an interrupted run keeps what it made and the next run goes on."
    )

    def handle(self, *args, **options):
        try:
            made = issue_missing()
        except (ExportUnavailable, SigningUnavailable) as exc:
            raise CommandError(f"Documents cannot be issued: {exc}") from exc
        for kind, count in made.items():
            self.stdout.write(f"{kind}: {count} document(s) issued")
        self.stdout.write(self.style.SUCCESS(f"{sum(made.values())} document(s) issued in all."))
