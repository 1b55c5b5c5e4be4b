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
        "version; --rebuild builds it again. Prints a table and writes var/bench/tasks.json. "
        "Then, once per run, the unit picker's search (regions.search.search: villages of Jawa Tengah, a few "
        "hundred name fragments drawn with a fixed seed) against a plain indexed prefix lookup, over the full "
        "region tree, loaded when missing into a database of its own ('<name>_bench_regions', "
        "var/bench-regions.sqlite3), never the real one: p50 and p95 in ms and their ratio, written to "
        "var/bench/regions.json. --only tasks or --only regions runs one part."
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
        parser.add_argument(
            "--only",
            choices=("tasks", "regions"),
            help="Run only the task list's bench or only the unit picker's search (default: both).",
        )
        parser.add_argument(
            "--region-queries",
            type=int,
            default=300,
            help="Search texts timed for the unit picker (default 300).",
        )

    def handle(self, *args, sizes, repeats, rebuild, only=None, region_queries=300, **options):
        settings.DEBUG = False
        # Not the log lines of every force_login of the bench's users.
        for name in ("axes", "pnpm.security"):
            logging.getLogger(name).setLevel(logging.WARNING)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        db = connection.settings_dict
        db.setdefault("TEST", {})
        original_name = db["NAME"]
        if only != "regions":
            self.tasks(sizes, repeats, rebuild, db, original_name)
        if only != "tasks":
            if region_queries < 20:
                raise CommandError("--region-queries: at least 20.")
            self.regions(region_queries, db, original_name)
        self.stdout.write("")
        machine = f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}"
        self.stdout.write(f"machine: {machine}, Python {sys.version.split()[0]}")

    def _use_bench_database(self, db, original_name, name, keep=True):
        """Connect to the bench database `name` (a test database: migrated,
        pending migrations applied when kept), never the real one."""
        db["NAME"] = settings.DATABASES["default"]["NAME"] = original_name
        db["TEST"]["NAME"] = name
        connection.close()
        return connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep, serialize=False)

    def _database(self):
        return f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}".strip()

    def tasks(self, sizes, repeats, rebuild, db, original_name):
        from duties import bench

        results = []
        for size in sizes:
            name = self._use_bench_database(db, original_name, bench_database_name(size))
            if rebuild or not bench.dataset_ready(size):
                reason = "--rebuild" if rebuild else "missing, incomplete or of another dataset version"
                self.stdout.write(f"{size:>9,} tasks: building {name} ({reason})")
                started = time.perf_counter()
                name = self._use_bench_database(db, original_name, bench_database_name(size), keep=False)
                bench._grow_tasks(size, self.stdout.write)
                bench.mark_dataset(size)
                self.stdout.write(f"{size:>9,} tasks: built in {time.perf_counter() - started:.0f}s")
            else:
                self.stdout.write(f"{size:>9,} tasks: reusing {name} (dataset version {bench.DATASET_VERSION})")
            results += bench.measure_size(size, log=self.stdout.write, repeats=repeats)
        bench.add_growth(results)
        path = bench.write_results(results, self._database())
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
        self.stdout.write(f"written: {path}")

    def regions(self, n, db, original_name):
        from duties import bench
        from regions.edition import EditionError

        name = self._use_bench_database(db, original_name, bench_database_name("regions"))
        self.stdout.write("")
        self.stdout.write(f"unit picker: {name}")
        try:
            figures = bench.measure_regions(log=self.stdout.write, n=n)
        except EditionError as error:
            raise CommandError(f"The region tree could not be loaded: {error}") from error
        path = bench.write_region_results(figures, self._database())
        f = figures
        self.stdout.write(
            f"unit picker's search, {f['queries']} queries ({f['queries_with_results']} with results) over "
            f"{f['province_villages']:,} villages of province {f['province']} ({f['villages']:,} villages in the tree):"
        )
        self.stdout.write(f"{'':<10} {'p50 ms':>8} {'p95 ms':>8}")
        self.stdout.write(f"{'search':<10} {f['search_p50_ms']:>8.2f} {f['search_p95_ms']:>8.2f}")
        self.stdout.write(f"{'baseline':<10} {f['baseline_p50_ms']:>8.2f} {f['baseline_p95_ms']:>8.2f}")
        self.stdout.write(f"{'ratio':<10} {f['ratio_p50']:>8.2f} {f['ratio_p95']:>8.2f}")
        verdict = "met" if f["target_met"] else "NOT met"
        self.stdout.write(f"target p95 < {f['target_p95_ms']:.0f} ms: {verdict}")
        self.stdout.write(f"written: {path}")
