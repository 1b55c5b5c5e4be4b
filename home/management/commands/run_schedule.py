import datetime

from django.core.management.base import BaseCommand, CommandError

from home.reconcile import run_schedule


def parse_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Tanggal tidak valid: {value!r}. Gunakan format YYYY-MM-DD. / Invalid date.") from None


class Command(BaseCommand):
    help = (
        "Run the scheduler's reconcile by hand: sync actor groups with the memberships in force, "
        "create the tasks of the current period that are missing and mark overdue tasks. "
        "Idempotent; the same function Celery beat calls."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=parse_date, help="Reconcile as of this date (YYYY-MM-DD); default today.")

    def handle(self, *args, date=None, **options):
        result = run_schedule(on=date)
        for key, value in result.items():
            self.stdout.write(f"{key}: {value}")
