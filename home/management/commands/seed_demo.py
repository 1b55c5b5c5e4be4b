import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actors.demo import DEMO_ACCOUNTS, DEMO_ADMIN, create_demo_accounts
from core import clock
from home.reconcile import run_schedule


class Command(BaseCommand):
    help = (
        "Create the demo accounts (Jawa Tengah, DI Yogyakarta, seknas, an admin) with password "
        "'demo12345'. Safe to run twice: what exists is left alone. Refuses to run with DEBUG off "
        "unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a production database)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo menolak berjalan saat DEBUG mati (kemungkinan basis data produksi). "
                "Gunakan --force bila memang disengaja. / Refusing to run with DEBUG off; use --force."
            )
        created = create_demo_accounts()
        # Last month's tasks too, so the demo has overdue work to show.
        today = clock.local_today()
        last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        for day in (last_month, today):
            result = run_schedule(on=day)
            self.stdout.write(f"Penjadwal / scheduler {day}: {result['tasks_created']} tugas dibuat / tasks created")
        if created:
            self.stdout.write(self.style.SUCCESS(f"Dibuat / created: {', '.join(created)}"))
        else:
            self.stdout.write("Data demo sudah ada; tidak ada yang dibuat. / Demo data already present.")
        self.stdout.write("")
        self.stdout.write(f"Akun demo / demo accounts (kata sandi / password: {settings.DEMO_PASSWORD}):")
        for username, full_name, *_rest in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<18} {full_name}")
        self.stdout.write(f"  {DEMO_ADMIN:<18} superuser (/admin/)")
