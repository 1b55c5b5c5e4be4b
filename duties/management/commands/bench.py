import logging
import os
import platform
import sys
import time

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


def bench_database_name(size):
    """The database (a file for SQLite) that keeps the dataset of `size` tasks."""
    if connection.vendor == "sqlite":
        return str(settings.BASE_DIR / "var" / f"bench-{size}.sqlite3")
    return f"{settings.DATABASES['default']['NAME']}_bench_{size}"


class Command(BaseCommand):
    help = (
        "Benchmark the permission-filtered task list against a plain indexed filter, for three scopes "
        "(a PjOProv member; the Governor's office, first and last page), on a synthetic dataset of 38 "
        "provinces. Each size keeps its dataset in a database of its own ('<name>_bench_<size>', "
        "var/bench-<size>.sqlite3 for SQLite), reused while it is complete and of the current dataset "
        "version; --rebuild builds it again. Prints a table and writes var/bench/tasks.json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            type=parse_sizes,
            default=[10_000, 100_000, 1_000_000],
            help="Comma-separated task counts (default 10000,100000,1000000).",
        )
        parser.add_argument("--repeats", type=int, default=21, help="Timed calls per scope, level and size.")
        parser.add_argument("--rebuild", action="store_true", help="Build every size's dataset again.")

    def handle(self, *args, sizes, repeats, rebuild, **options):
        from duties import bench

        settings.DEBUG = False
        # Not the log lines of every force_login of the bench's users.
        for name in ("axes", "pnpm.security"):
            logging.getLogger(name).setLevel(logging.WARNING)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        db = connection.settings_dict
        db.setdefault("TEST", {})
        original_name = db["NAME"]
        results = []
        for size in sizes:
            db["NAME"] = settings.DATABASES["default"]["NAME"] = original_name
            db["TEST"]["NAME"] = bench_database_name(size)
            # A test database: migrated (pending migrations applied when
            # kept), never the real one.
            connection.close()
            name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
            if rebuild or not bench.dataset_ready(size):
                reason = "--rebuild" if rebuild else "missing, incomplete or of another dataset version"
                self.stdout.write(f"{size:>9,} tasks: building {name} ({reason})")
                started = time.perf_counter()
                connection.close()
                db["NAME"] = settings.DATABASES["default"]["NAME"] = original_name
                name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
                bench._grow_tasks(size, self.stdout.write)
                bench.mark_dataset(size)
                self.stdout.write(f"{size:>9,} tasks: built in {time.perf_counter() - started:.0f}s")
            else:
                self.stdout.write(f"{size:>9,} tasks: reusing {name} (dataset version {bench.DATASET_VERSION})")
            results += bench.measure_size(size, log=self.stdout.write, repeats=repeats)
        bench.add_growth(results)
        database = f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}"
        path = bench.write_results(results, database.strip())
        self.stdout.write("")
        self.stdout.write(
            f"{'tasks':>10} {'scope':<14} {'level':<5} {'page':>5} {'open tasks':>10} {'baseline ms':>12} "
            f"{'filtered ms':>12} {'ratio':>6} {'vs smallest':>12}"
        )
        for r in results:
            self.stdout.write(
                f"{r['tasks']:>10,} {r['scope']:<14} {r['level']:<5} {r['page']:>5} {r['open_tasks']:>10,} "
                f"{r['baseline_ms']:>12.2f} {r['filtered_ms']:>12.2f} {r['ratio']:>6.2f} "
                f"{r['filtered_vs_smallest']:>12.2f}"
            )
        self.stdout.write("")
        machine = f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}"
        self.stdout.write(f"machine: {machine}, Python {sys.version.split()[0]}")
        self.stdout.write(f"written: {path}")
