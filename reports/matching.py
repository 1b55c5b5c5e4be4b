"""Matching assessment rows written as free text to official units
(regions.Region): `manage.py match_assessment_units` and the admin's
decisions on UnitNameMatch.

A free-text row is a draft's row with no region (AssessmentRow.region NULL)
or a submitted version's row whose snapshot has no "region_code" (versions
sent before the tree was loaded lack the key). Rows are grouped by
(province, level, written name, written code); each group has one
UnitNameMatch. Matching never guesses silently:

- the written code is an official code of the province and level, and the
  written name agrees with that unit (or is empty): "otomatis";
- else the written name, normalised (`normalise`), names exactly one unit in
  force of the province and level: "otomatis"; several: "perlu-keputusan"
  with their codes as candidates; none: "perlu-keputusan" with the units a
  looser comparison finds (the same start, or the name inside), or none;
- what is written after the name ("Tarisi — Kec. Bantar") must agree with
  where the unit lies, else the row waits for a person;
- a person's decision ("dikonfirmasi", "tidak-ada") is never overwritten.

Only the rows of drafts that can still be edited (draft, returned) are
counted and linked: a sent report's rows are its version's.

An "otomatis" or "dikonfirmasi" match is applied to the drafts' rows (region
set, unit_code and unit_name the official code and Region.printed_name), in
bulk. Submitted versions are append-only and never rewritten: what reads
them across reports looks the match up beside them.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Province
from regions.models import Region
from regions.search import fold

from .models import AssessmentRow, Report, ReportVersion, UnitNameMatch

Status = UnitNameMatch.Status
APPLIED = (Status.AUTOMATIC, Status.CONFIRMED)
DECIDED = (Status.CONFIRMED, Status.NO_UNIT)
# Words that say a unit's type, dropped from the front of a name, per level:
# "Kab. Cilacap", "Kecamatan Wanareja", "Desa Tarisi". At kabupaten level
# "kota" says the type too, and tells Kota Magelang from Kabupaten Magelang
# (`Written.kind`); below it "Kota" is part of a name ("Kota Kudus" is a
# kecamatan of Kabupaten Kudus, never "Kudus").
TYPE_WORDS = {
    AssessmentRow.Level.PROVINSI: frozenset({"provinsi", "prov"}),
    AssessmentRow.Level.KABUPATEN: frozenset({"kabupaten", "kab", "kota"}),
    AssessmentRow.Level.KECAMATAN: frozenset({"kecamatan", "kec"}),
    AssessmentRow.Level.DESA: frozenset({"desa", "kelurahan", "kel"}),
}
KIND_OF_WORD = {"kabupaten": "kabupaten", "kab": "kabupaten", "kota": "kota"}
# Both "Kab." and "Kota" in one name: the type is not known.
CONFLICT = "?"
# The most candidates a looser comparison proposes.
MAX_CANDIDATES = 10
BATCH = 500
# "Wanareja — Kab. Cilacap" (as the picker prints it), "Wanareja (33.01.15)".
_CONTEXT = re.compile(r"\s+[—–]\s+|\s*\(")
_ABBREVIATIONS = {"kabupaten": "kab", "kecamatan": "kec", "kelurahan": "kel"}


@dataclass(frozen=True)
class Written:
    """A unit's name reduced for comparison: `core` without the type words
    ("magelang"), `kind` "kota", "kabupaten", "" (not said) or CONFLICT, and
    `context` the part after the name ("kec wanareja kab cilacap"), if any."""

    core: str
    kind: str = ""
    context: str = ""

    def agrees_with(self, other):
        """Same core; a type said on both sides must be the same one (a
        conflicting one agrees with nothing)."""
        if self.kind == CONFLICT or other.kind == CONFLICT:
            return False
        return self.core == other.core and (not self.kind or not other.kind or self.kind == other.kind)


def short_form(text):
    """The folded words with kabupaten/kecamatan/kelurahan written short, so
    that "Kabupaten Cilacap" and "Kab. Cilacap" read alike."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in fold(text).split())


def normalise(name, level=AssessmentRow.Level.KABUPATEN):
    """At kabupaten level: "Kab. Magelang" -> Written("magelang",
    "kabupaten"); "Kota Magelang" -> Written("magelang", "kota"). At
    kecamatan level: "Kecamatan Wanareja — Kab. Cilacap" ->
    Written("wanareja", "", "kab cilacap"); "Kota Kudus" -> Written("kota kudus")."""
    parts = _CONTEXT.split(name or "", maxsplit=1)
    head = parts[0]
    context = (
        short_form(parts[1].rstrip(")"))
        if len(parts) > 1 and not parts[1].strip(" )").replace(".", "").isdigit()
        else ""
    )
    words = fold(head).split()
    kinds = set()
    type_words = TYPE_WORDS.get(level, frozenset())
    while words and words[0] in type_words:
        word = words.pop(0)
        if word in KIND_OF_WORD:
            kinds.add(KIND_OF_WORD[word])
    kind = CONFLICT if len(kinds) > 1 else next(iter(kinds), "")
    return Written(" ".join(words), kind, context)


def dotted(code):
    """An official code as written: "33.01.15" as is, "330115" dotted,
    anything else stripped."""
    code = (code or "").strip()
    if code.isdigit() and len(code) in (2, 4, 6, 10):
        parts = [code[:2], code[2:4], code[4:6], code[6:]]
        return ".".join(part for part in parts if part)
    return code


# --- what is written ------------------------------------------------------------------


@dataclass
class Group:
    province_id: int
    level: str
    written_name: str
    written_code: str
    draft_rows: int = 0
    version_rows: int = 0

    @property
    def key(self):
        return (self.province_id, self.level, self.written_name, self.written_code)


def gather(province_ids=None):
    """{key: Group} of every free-text row: drafts' rows without a region,
    versions' rows without a region code. One query for the drafts, one
    (read in chunks) for the versions."""
    groups = {}

    def count(province_id, level, name, code, drafts=0, versions=0):
        key = (province_id, level, name or "", code or "")
        group = groups.get(key) or groups.setdefault(key, Group(*key))
        group.draft_rows += drafts
        group.version_rows += versions

    # A draft's rows, while it can be edited; once sent, its rows are the
    # version's (counted there) and stay as they were sent.
    drafts = AssessmentRow.objects.filter(region__isnull=True, report__status__in=Report.EDITABLE)
    versions = ReportVersion.objects.all()
    if province_ids is not None:
        drafts = drafts.filter(report__province__in=province_ids)
        versions = versions.filter(report__province__in=province_ids)
    for row in (
        drafts.values("report__province_id", "level", "unit_name", "unit_code")
        .annotate(n=Count("id"))
        .order_by("report__province_id", "level", "unit_name", "unit_code")
    ):
        count(row["report__province_id"], row["level"], row["unit_name"], row["unit_code"], drafts=row["n"])
    for province_id, snapshot in versions.values_list("report__province_id", "snapshot").iterator(chunk_size=200):
        tally = Counter()
        for row in (snapshot or {}).get("assessment") or ():
            if not isinstance(row, dict) or (row.get("region_code") or "").strip():
                continue
            tally[(row.get("level") or "", row.get("unit_name") or "", row.get("unit_code") or "")] += 1
        for (level, name, code), n in tally.items():
            if level in AssessmentRow.Level.values:
                count(province_id, level, name, code, versions=n)
    return groups


# --- proposing ---------------------------------------------------------------------------


@dataclass
class Proposal:
    status: str
    region: Region | None = None
    candidates: list = field(default_factory=list)


class Units:
    """The units in force of one province and level, read once, by code and
    by normalised name. A retired unit is matched by nobody: the drafts'
    rows take units in force, as the picker offers them."""

    def __init__(self, units, level=AssessmentRow.Level.KABUPATEN):
        self.level = level
        self.by_code = {unit.code: unit for unit in units}
        self.in_force = [(normalise(unit.name, level), unit) for unit in units]

    @staticmethod
    def placed(written, unit):
        """Whether what is written after the name ("— Kec. Bantar") agrees
        with where the unit lies; nothing written agrees."""
        return not written.context or written.context == short_form(unit.context)

    def propose(self, written_name, written_code):
        written = normalise(written_name, self.level)
        unit = self.by_code.get(dotted(written_code)) if written_code else None
        if (
            unit is not None
            and (not written.core or written.agrees_with(normalise(unit.name, self.level)))
            and self.placed(written, unit)
        ):
            return Proposal(Status.AUTOMATIC, unit)
        if not written.core:
            return Proposal(Status.PENDING, candidates=[unit.code] if unit else [])
        same = [u for name, u in self.in_force if written.agrees_with(name)]
        if len(same) == 1 and unit is None and self.placed(written, same[0]):
            return Proposal(Status.AUTOMATIC, same[0])
        if same or unit is not None:
            # Several units of the name, or a code that names another unit
            # than the name: a person chooses.
            codes = [u.code for u in same]
            if unit is not None and unit.code not in codes:
                codes.insert(0, unit.code)
            return Proposal(Status.PENDING, candidates=codes[:MAX_CANDIDATES])
        return Proposal(Status.PENDING, candidates=self.looser(written))

    def looser(self, written):
        """Units whose name starts as the written one does (its first
        five letters), or holds it, or is held in it."""
        start = written.core[:5]
        found = [
            u.code
            for name, u in self.in_force
            if name.core and (name.core.startswith(start) or written.core in name.core or name.core in written.core)
        ]
        return sorted(found)[:MAX_CANDIDATES]


def units_by_scope(keys):
    """{(province code, level): Units} for the (province code, level) pairs: one query."""
    keys = set(keys)
    if not keys:
        return {}
    query = Region.objects.in_force().filter(province_code__in={p for p, _ in keys}, level__in={lvl for _, lvl in keys})
    buckets = {key: [] for key in keys}
    for unit in query.select_related("parent__parent").order_by("code"):
        bucket = buckets.get((unit.province_code, unit.level))
        if bucket is not None:
            bucket.append(unit)
    return {key: Units(units, key[1]) for key, units in buckets.items()}


# --- the run -----------------------------------------------------------------------------


@dataclass
class Outcome:
    groups: int = 0
    automatic: int = 0
    pending: int = 0
    decided: int = 0
    created: int = 0
    updated: int = 0
    rows_linked: int = 0
    waiting: list = field(default_factory=list)  # the pending UnitNameMatch, candidates' labels in .candidate_labels


def match(province_ids=None, *, dry_run=False):
    """Propose a match for every group of free-text rows (`gather`), store
    them (UnitNameMatch) and apply the matches to the drafts' rows. One
    transaction; `dry_run` computes and rolls back. Returns an Outcome."""
    with transaction.atomic():
        outcome = _match(province_ids)
        if dry_run:
            transaction.set_rollback(True)
    return outcome


def _match(province_ids):
    groups = gather(province_ids)
    provinces = dict(Province.objects.values_list("id", "code"))
    units = units_by_scope((provinces[g.province_id], g.level) for g in groups.values())
    # Locked until the run commits: a person's decision in the admin
    # meanwhile waits, then wins (reports.matching.decide).
    stored = UnitNameMatch.objects.select_for_update()
    if province_ids is not None:
        stored = stored.filter(province__in=province_ids)
    existing = {(m.province_id, m.level, m.written_name, m.written_code): m for m in stored}
    outcome = Outcome(groups=len(groups))
    new, changed = [], []
    for key, group in sorted(groups.items(), key=lambda item: (provinces[item[0][0]], *item[0][1:])):
        found = existing.get(key)
        if found is not None and found.status in DECIDED:
            outcome.decided += 1
            continue
        proposal = units[(provinces[group.province_id], group.level)].propose(group.written_name, group.written_code)
        if found is None:
            found = UnitNameMatch(
                province_id=group.province_id,
                level=group.level,
                written_name=group.written_name[:150],
                written_code=group.written_code[:20],
            )
            new.append(found)
        elif (found.status, found.region_id, found.candidates) != (
            proposal.status,
            proposal.region.pk if proposal.region else None,
            proposal.candidates,
        ):
            changed.append(found)
        found.status, found.region, found.candidates = proposal.status, proposal.region, proposal.candidates
        if proposal.status == Status.AUTOMATIC:
            outcome.automatic += 1
        else:
            outcome.pending += 1
            outcome.waiting.append(found)
    UnitNameMatch.objects.bulk_create(new, batch_size=BATCH)
    UnitNameMatch.objects.bulk_update(changed, ["status", "region", "candidates"], batch_size=BATCH)
    applied = [m for m in existing.values() if m.status in APPLIED and m.region_id]
    outcome.rows_linked = apply(applied + [m for m in new if m.status in APPLIED], province_ids)
    recounted = count_rows(province_ids)
    created = {m.pk for m in new}
    outcome.created = len(new)
    outcome.updated = len(({m.pk for m in changed} | recounted) - created)
    attach_candidate_labels(outcome.waiting)
    return outcome


def count_rows(province_ids=None):
    """Store on each match of the scope how many free-text rows still carry
    its name (after the drafts' rows were linked: versions' rows and the
    drafts' rows left unlinked); 0 for a name no row carries any more.
    Returns the ids of the matches changed."""
    after = gather(province_ids)
    stored = UnitNameMatch.objects.all()
    if province_ids is not None:
        stored = stored.filter(province__in=province_ids)
    changed = []
    for match in stored.only("id", "province_id", "level", "written_name", "written_code", "rows"):
        group = after.get((match.province_id, match.level, match.written_name, match.written_code))
        rows = group.draft_rows + group.version_rows if group else 0
        if match.rows != rows:
            match.rows = rows
            changed.append(match)
    UnitNameMatch.objects.bulk_update(changed, ["rows"], batch_size=BATCH)
    return {m.pk for m in changed}


def apply(matches, province_ids=None):
    """Link the drafts' free-text rows that `matches` (with a region) name:
    region, official code and printed name. Bulk: one read, one update per
    BATCH rows. Returns the number of rows linked."""
    by_key = {(m.province_id, m.level, m.written_name, m.written_code): m for m in matches if m.region_id}
    if not by_key:
        return 0
    regions = {
        unit.pk: unit
        for unit in Region.objects.filter(pk__in={m.region_id for m in by_key.values()}).select_related(
            "parent__parent"
        )
    }
    rows = AssessmentRow.objects.filter(
        region__isnull=True, report__province__in={k[0] for k in by_key}, report__status__in=Report.EDITABLE
    )
    if province_ids is not None:
        rows = rows.filter(report__province__in=province_ids)
    linked = []
    for pk, province_id, level, name, code in rows.values_list(
        "pk", "report__province_id", "level", "unit_name", "unit_code"
    ):
        match = by_key.get((province_id, level, name, code))
        if match is None:
            continue
        unit = regions[match.region_id]
        linked.append(AssessmentRow(pk=pk, region=unit, unit_code=unit.code, unit_name=unit.printed_name[:150]))
    AssessmentRow.objects.bulk_update(linked, ["region", "unit_code", "unit_name"], batch_size=BATCH)
    return len(linked)


def attach_candidate_labels(matches):
    """Give each match `candidate_labels`: its candidates' labels
    ("Wanareja — Kab. Cilacap (33.01.15)"), the codes no unit has kept as
    they are. One query for all of them."""
    codes = {code for m in matches for code in (m.candidates or ()) if isinstance(code, str)}
    labels = {}
    if codes:
        labels = {u.code: u.label for u in Region.objects.filter(code__in=codes).select_related("parent__parent")}
    for m in matches:
        m.candidate_labels = [labels.get(code, str(code)) for code in (m.candidates or ())]
    return matches


# --- a person's decision (the admin) -----------------------------------------------------


def check_region(match, region):
    """Refuse a unit of another province or level than the written rows'."""
    if region is None:
        return
    if region.province_code != match.province.code:
        raise ValidationError(
            {
                "region": _("%(unit)s bukan wilayah Provinsi %(province)s. Pilih wilayah provinsi laporan.")
                % {"unit": region.label, "province": match.province.name}
            }
        )
    if region.retired_in:
        raise ValidationError(
            {
                "region": _(
                    "%(unit)s sudah tidak berlaku (dihapus pada edisi %(edition)s). Pilih wilayah yang berlaku."
                )
                % {"unit": region.label, "edition": region.retired_in}
            }
        )
    if region.level != match.level:
        raise ValidationError(
            {
                "region": _("%(unit)s bukan wilayah tingkat %(level)s. Pilih wilayah tingkat baris penilaian.")
                % {"unit": region.label, "level": match.get_level_display()}
            }
        )


@transaction.atomic
def decide(match, *, user, region=None, no_unit=False):
    """A person's decision: the official unit of the written name
    ("dikonfirmasi", applied at once to the drafts' rows), or that no unit
    fits ("tidak-ada"). Returns the number of drafts' rows linked."""
    if no_unit and region is not None:
        raise ValidationError(_("Pilih satu: wilayah resmi, atau tandai tidak ada wilayah yang sesuai."))
    if not no_unit and region is None:
        raise ValidationError({"region": _("Pilih wilayah resmi, atau tandai tidak ada wilayah yang sesuai.")})
    check_region(match, region)
    # Waits for a run of match_assessment_units in progress (it locks the matches).
    rows = UnitNameMatch.objects.select_for_update().values_list("rows", flat=True).get(pk=match.pk)
    match.region = region
    match.status = Status.NO_UNIT if no_unit else Status.CONFIRMED
    match.decided_by = user
    match.decided_at = timezone.now()
    linked = apply([match]) if region is not None else 0
    # The drafts' rows just linked no longer carry the written name.
    match.rows = max(0, rows - linked)
    match.save(update_fields=["region", "status", "decided_by", "decided_at", "rows"])
    return linked
