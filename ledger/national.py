"""The seknas coverage matrix: provinces (rows) x the five provincial actors
(columns), each cell the share of the actor's duties accounted for in a
quarter (ledger.standing: terlaksana, sebagian or tidak ada kejadian), with
totals per actor, per province and for the nation.

Built in a fixed number of queries whatever the number of provinces: the
provinces, the actors, and ledger.standing.build() for all of them at once
(its own fixed count). Each cell links to the actor's ledger for the
quarter (ledger:ledger), reversed once for the page."""

from dataclasses import dataclass, field

from django.urls import reverse

from actors.models import Actor, Province

from . import standing


def percent(part, whole):
    return round(100 * part / whole) if whole else None


@dataclass
class Tally:
    accounted: int = 0
    total: int = 0

    def add(self, accounted, total):
        self.accounted += accounted
        self.total += total

    @property
    def percent(self):
        return percent(self.accounted, self.total)


@dataclass
class Cell:
    actor: Actor
    accounted: int
    total: int
    overdue: bool
    href: str

    @property
    def percent(self):
        return percent(self.accounted, self.total)

    @property
    def css(self):
        """The pill's colour: all accounted for, past the accounts' deadline
        with a duty still silent, some accounted for, none."""
        if self.total and self.accounted == self.total:
            return "pill-ok"
        if self.overdue:
            return "pill-danger"
        return "pill-warn" if self.accounted else ""


@dataclass
class Line:
    province: Province
    cells: list  # one Cell (or None: the province has no actor of that kind) per column
    tally: Tally = field(default_factory=Tally)


@dataclass
class Matrix:
    period: object  # core.periods.Period
    kinds: list  # the columns: ActorKind, in the seed's order
    lines: list
    totals: list  # one Tally per column
    total: Tally


MARKER = 987654321


def ledger_url(period_key):
    """A function actor pk -> the actor's ledger for the quarter, reversing
    once for the whole page."""
    prefix, suffix = reverse("ledger:ledger", kwargs={"actor_pk": MARKER, "period": period_key}).split(str(MARKER))
    return lambda pk: f"{prefix}{int(pk)}{suffix}"


def provinces_for(codes=None):
    provinces = Province.objects.order_by("code")
    if codes:
        provinces = provinces.filter(code__in=codes)
    return list(provinces)


def build(period, provinces, *, today=None):
    """The Matrix of the quarter `period` (a Period) for `provinces` (a list,
    in the rows' order). Queries: one for the actors, then ledger.standing.build's."""
    actors = list(
        Actor.objects.provincial()
        .filter(province__in=[p.pk for p in provinces])
        .select_related("province", "kind")
        .order_by("kind__order", "province__code")
    )
    ledgers = standing.build(actors, period, evidence=False, today=today)
    kinds = []
    for actor in actors:
        if actor.kind not in kinds:
            kinds.append(actor.kind)
    column = {kind.pk: i for i, kind in enumerate(kinds)}
    by_province = {p.pk: [None] * len(kinds) for p in provinces}
    href = ledger_url(period.key)
    for actor in actors:
        ledger = ledgers[actor.pk]
        by_province[actor.province_id][column[actor.kind_id]] = Cell(
            actor=actor,
            accounted=ledger.accounted,
            total=len(ledger.rows),
            overdue=ledger.overdue,
            href=href(actor.pk),
        )
    totals = [Tally() for _kind in kinds]
    total = Tally()
    lines = []
    for province in provinces:
        line = Line(province=province, cells=by_province[province.pk])
        for i, cell in enumerate(line.cells):
            if cell is not None:
                line.tally.add(cell.accounted, cell.total)
                totals[i].add(cell.accounted, cell.total)
        total.add(line.tally.accounted, line.tally.total)
        lines.append(line)
    return Matrix(period=period, kinds=kinds, lines=lines, totals=totals, total=total)
