import os
import platform
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def parse_sizes(value):
    try:
        sizes = sorted({int(part.replace("_", "")) for part in value.split(",") if part.strip()})
    except ValueError:
        raise CommandError(f"--sizes: angka dipisah koma, mis. 10000,100000 (bukan {value!r})") from None
    if not sizes or sizes[0] < 1000 or sizes[-1] > 5_000_000:
        raise CommandError("--sizes: setiap ukuran antara 1000 dan 5000000.")
    return sizes


class Command(BaseCommand):
    help = (
        "Benchmark the permission-filtered task list against a plain indexed filter, on a synthetic "
        "dataset of 38 provinces, in a separate database '<name>_bench' (built afresh each run, kept "
        "afterwards for inspection). Prints a table and writes var/bench/tasks.json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            type=parse_sizes,
            default=[10_000, 100_000, 1_000_000],
            help="Comma-separated task counts (default 10000,100000,1000000).",
        )
        parser.add_argument("--repeats", type=int, default=21, help="Timed requests per page and size.")

    def handle(self, *args, sizes, repeats, **options):
        from duties import bench

        db = settings.DATABASES["default"]
        db.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            db["TEST"]["NAME"] = str(settings.BASE_DIR / "var" / "bench.sqlite3")
        else:
            db["TEST"]["NAME"] = f"{db['NAME']}_bench"
        # The bench database is a test database: migrated, never the real one.
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        self.stdout.write(f"database: {connection.vendor} {name}")
        settings.DEBUG = False
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        results = bench.run(sizes, log=self.stdout.write, repeats=repeats)
        path = bench.write_results(
            results, f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}".strip()
        )
        self.stdout.write("")
        self.stdout.write(
            f"{'tasks':>10} {'listed':>7} {'baseline ms':>12} {'filtered ms':>12} {'ratio':>6} {'vs smallest':>12}"
        )
        for r in results:
            self.stdout.write(
                f"{r['rows']:>10,} {r['listed_for_user']:>7,} {r['baseline_ms']:>12.2f} {r['filtered_ms']:>12.2f} "
                f"{r['ratio']:>6.2f} {r['filtered_vs_smallest']:>12.2f}"
            )
        self.stdout.write("")
        machine = f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}"
        self.stdout.write(f"machine: {machine}, Python {sys.version.split()[0]}")
        self.stdout.write(f"written: {path}")
