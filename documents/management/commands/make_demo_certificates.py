from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actors.models import Province
from documents.demo_ca import DEMO_MARK, make_demo_certificates
from documents.signing import password_for


class Command(BaseCommand):
    help = (
        "Make a demo certificate authority and a signing certificate (<code>.p12) per province in "
        "DOCUMENT_SIGNING_DIR, opened with the province's password (DOCUMENT_SIGNING_PASSWORDS, else "
        "DOCUMENT_SIGNING_PASSWORD). FOR DEMONSTRATION ONLY: every name in "
        "them says so. Existing files are kept, so it is safe to run again. docs/deploy.md says how to use "
        "a certificate from the official CA instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Province codes (default: every province).")

    def handle(self, *args, codes, **options):
        directory = settings.DOCUMENT_SIGNING_DIR
        if not directory:
            raise CommandError("DOCUMENT_SIGNING_DIR is empty: set it to the folder for the certificates.")
        provinces = Province.objects.order_by("code")
        if codes:
            provinces = provinces.filter(code__in=codes)
            unknown = set(codes) - {p.code for p in provinces}
            if unknown:
                raise CommandError(f"Unknown province code(s): {', '.join(sorted(unknown))}")
        written = []
        for province in provinces:  # each with the password signing will open it with
            password = password_for(province)
            written += make_demo_certificates([province], directory, password=password.decode() if password else None)
        self.stdout.write(
            f"{len(written)} demo certificate(s) written to {directory} ({DEMO_MARK}); "
            f"{provinces.count() - len(written)} already there."
        )
