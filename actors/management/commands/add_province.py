from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from actors.models import Province
from actors.provinces import do_add_province


class Command(BaseCommand):
    help = "Add a province with an actor (and its group) for every provincial actor kind."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="Kemendagri code, e.g. 97")
        parser.add_argument("--name", required=True)
        parser.add_argument("--timezone", required=True, choices=Province.Zone.values)
        parser.add_argument("--bps-code", default="")

    def handle(self, *args, code, name, timezone, bps_code, **options):
        try:
            province = do_add_province(code=code, name=name, timezone=timezone, bps_code=bps_code)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        count = province.actors.count()
        self.stdout.write(f"{province.code} {province.name}: {count} pelaku dibuat.")
        self.stdout.write("Jalankan run_schedule untuk membuat tugasnya.")
