"""Loading an edition of the region tree (regions/edition.py) into Region:
new units added, renamed or moved ones changed, units the edition no longer
lists retired (kept, with the edition that dropped them), a retired unit the
edition lists again brought back. Bulk operations, one transaction: a run
that fails leaves the tree as it was. A second run of the same edition
changes nothing."""

from dataclasses import dataclass, field

from django.db import connection, transaction

from .edition import LICENCE, EditionError
from .models import Region, RegionLoad
from .search import fold

BATCH = 2000
# The PostgreSQL advisory lock one load holds until it commits.
LOCK_KEY = 2_026_120_523
EXPECTED_PARTS = (1, 2, 3, 4)
# Digits per part of a Kemendagri code: 33, 33.01, 33.01.15, 33.01.15.2001.
WIDTHS = (2, 2, 2, 4)


@dataclass
class Result:
    edition: str
    added: int = 0
    changed: int = 0
    retired: int = 0
    unchanged: int = 0
    by_level: dict = field(default_factory=dict)  # level -> count in the edition

    @property
    def total(self):
        return sum(self.by_level.values())

    @property
    def changed_anything(self):
        return bool(self.added or self.changed or self.retired)


def check(edition, provinces=None):
    """The edition's four lists, limited to `provinces` (codes), each row's
    code of its level's shape and under its parent. Raises EditionError."""
    wanted = set(provinces) if provinces else None
    seen = set()
    levels = []
    for parts, rows in zip(EXPECTED_PARTS, edition.levels, strict=True):
        kept = []
        for code, parent, name in rows:
            if wanted is not None and code[:2] not in wanted:
                continue
            pieces = code.split(".")
            if len(pieces) != parts or not all(
                p.isdigit() and len(p) == w for p, w in zip(pieces, WIDTHS[:parts], strict=True)
            ):
                raise EditionError(f"{code!r} ({name}): not a code of level {parts}.")
            if parts > 1 and (parent != ".".join(pieces[:-1]) or parent not in seen):
                raise EditionError(f"{code} ({name}): its parent {parent!r} is not the unit above it in the edition.")
            if code in seen:
                raise EditionError(f"{code}: listed twice.")
            seen.add(code)
            kept.append((code, parent, name))
        levels.append(kept)
    if wanted is not None:
        unknown = wanted - {code for code, _, _ in levels[0]}
        if unknown:
            raise EditionError(f"The edition has no province {', '.join(sorted(unknown))}.")
    return levels


@transaction.atomic
def load(edition, *, provinces=None, progress=None):
    """Bring Region in line with `edition` for `provinces` (all when None).
    `progress(n)` is told each time n more units were handled."""
    levels = check(edition, provinces)
    if connection.vendor == "postgresql":
        # Two runs at once (two admins, a deploy script and a person): the
        # second waits for the first to commit, then finds nothing to do.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    result = Result(edition=edition.label)
    scope = Region.objects.all()
    if provinces:
        scope = scope.filter(province_code__in=provinces)
    # code -> (id, name, parent_id, retired_in)
    existing = {row[0]: row[1:] for row in scope.values_list("code", "id", "name", "parent_id", "retired_in")}
    ids = {code: row[0] for code, row in existing.items()}
    listed = set()
    for level_parts, rows in zip(EXPECTED_PARTS, levels, strict=True):
        level = Region.LEVEL_OF_PARTS[level_parts]
        result.by_level[level] = len(rows)
        new, changed = [], []
        for code, parent, name in rows:
            listed.add(code)
            parent_id = ids[parent] if parent else None
            if code not in existing:
                new.append(
                    Region(
                        code=code,
                        level=level,
                        name=name,
                        parent_id=parent_id,
                        province_code=code[:2],
                        search_name=fold(name),
                        added_in=edition.label,
                    )
                )
                continue
            pk, old_name, old_parent, retired_in = existing[code]
            if (old_name, old_parent, retired_in) == (name, parent_id, ""):
                result.unchanged += 1
                continue
            changed.append(Region(pk=pk, name=name, search_name=fold(name), parent_id=parent_id, retired_in=""))
        for start in range(0, len(new), BATCH):
            batch = Region.objects.bulk_create(new[start : start + BATCH])
            ids.update((unit.code, unit.pk) for unit in batch)
            if progress:
                progress(len(batch))
        Region.objects.bulk_update(changed, ["name", "search_name", "parent", "retired_in"], batch_size=BATCH)
        result.added += len(new)
        result.changed += len(changed)
        if progress:
            progress(len(rows) - len(new))
    dropped = [row[0] for code, row in existing.items() if code not in listed and not row[3]]
    for start in range(0, len(dropped), BATCH):
        Region.objects.filter(pk__in=dropped[start : start + BATCH]).update(retired_in=edition.label)
    result.retired = len(dropped)
    if result.changed_anything or not RegionLoad.objects.exists():
        RegionLoad.objects.create(
            edition=edition.label,
            licence=LICENCE,
            provinces=",".join(sorted(provinces or ())),
            added=result.added,
            changed=result.changed,
            retired=result.retired,
            total=result.total,
        )
    return result


def province_differences():
    """How the app's provinces (actors.Province) stand against the tree:
    (provinces whose code the tree lacks, tree provinces the app lacks,
    [(code, the app's name, the tree's name)] where the names differ)."""
    from actors.models import Province

    tree = dict(Region.objects.in_force().filter(level=Region.Level.PROVINSI).values_list("code", "name"))
    app = dict(Province.objects.values_list("code", "name"))
    missing_in_tree = sorted(set(app) - set(tree))
    missing_in_app = sorted(set(tree) - set(app))
    renamed = [(code, app[code], tree[code]) for code in sorted(set(app) & set(tree)) if app[code] != tree[code]]
    return missing_in_tree, missing_in_app, renamed
