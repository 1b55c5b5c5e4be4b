from django.core.management.base import BaseCommand, CommandError

from actors.models import Province
from regions.models import Region
from reports import matching


def province_codes(value):
    codes = [part.strip() for part in value.split(",") if part.strip()]
    if not codes or not all(len(code) == 2 and code.isdigit() for code in codes):
        raise ValueError(value)
    return codes


class Command(BaseCommand):
    help = (
        "Match the assessment rows written as free text (drafts' rows without an official unit, and rows of "
        "submitted versions sent before the region tree was loaded) to official units (load_regions first). "
        "Rows are grouped by province, level, written name and written code; each group gets one match "
        "(admin: Laporan -> Pencocokan nama wilayah). An exact match (the official code of the province and "
        "level with an agreeing name, or a name that, without words like 'Kab.' or 'Kecamatan', names exactly "
        "one unit in force) is taken at once; every other group waits for a person, with candidates, and is "
        "listed at the end. 'Kota X' and 'Kabupaten X' are different units: a bare 'X' naming both waits. A "
        "person's decision is never overwritten. Matches taken or decided are applied to the drafts' rows "
        "(official unit, code and printed name); submitted versions are never changed. Idempotent: a second "
        "run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            dest="provinces",
            action="append",
            type=province_codes,
            metavar="CODE[,CODE]",
            help="Only these provinces (Kemendagri codes, e.g. --province 33 --province 34); repeatable. Default: all.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be matched and waiting; write nothing."
        )

    def handle(self, *args, provinces=None, dry_run=False, **options):
        codes = sorted({code for group in provinces or () for code in group})
        province_ids = None
        if codes:
            found = dict(Province.objects.filter(code__in=codes).values_list("code", "id"))
            unknown = sorted(set(codes) - set(found))
            if unknown:
                raise CommandError(f"Unknown province code(s): {', '.join(unknown)}.")
            province_ids = sorted(found.values())
        if not Region.objects.in_force().exists():
            raise CommandError("The region tree is empty: run `manage.py load_regions` first.")
        outcome = matching.match(province_ids, dry_run=dry_run)
        write = self.stdout.write
        prefix = "Dry run, nothing written: " if dry_run else ""
        write(
            f"{prefix}{outcome.groups} written names; {outcome.automatic} matched automatically, "
            f"{outcome.pending} waiting for a person, {outcome.decided} already decided by a person."
        )
        if dry_run:
            write(
                f"Would create {outcome.created} matches and update {outcome.updated}; would link "
                f"{outcome.rows_linked} draft rows to their official unit."
            )
        else:
            write(
                f"Created {outcome.created} matches, updated {outcome.updated}; linked {outcome.rows_linked} "
                f"draft rows to their official unit."
            )
        if outcome.waiting:
            write("")
            write("Waiting for a person (admin: Laporan -> Pencocokan nama wilayah):")
            provinces_by_id = dict(Province.objects.values_list("id", "name"))
            for match in outcome.waiting:
                code = f" [{match.written_code}]" if match.written_code else ""
                candidates = "; ".join(match.candidate_labels) or "no similar unit"
                write(
                    f"- {provinces_by_id.get(match.province_id, match.province_id)}, {match.level}: "
                    f"{match.written_name!r}{code} -> {candidates}"
                )
