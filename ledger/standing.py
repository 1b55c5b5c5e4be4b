"""Each duty's standing for an actor and a quarter, and the evidence behind
it, gathered from what the application already holds:

- recurring duties: their tasks in the quarter, done or not (overdue shown);
- meeting duties (category rapat): the meetings of the duty held in the
  quarter and whether their minutes were approved;
- report duties (a report type names the duty): the reports of the
  quarter's periods, sent on time, late, or not yet;
- Gubernur 2 (appointing the TK): the decrees (SK) recorded in the quarter;
- TK 7 (assessing performance): the rows of the assessment table of the
  quarter's quarterly report, as last sent;
- ongoing duties (berkelanjutan): the actor's quarterly account;
- incidental duties (insidental): the occurrences recorded, or the actor's
  declaration "tidak ada kejadian" (silence is "belum", never "none").

A standing that comes from evidence is derived here, never typed. `build()`
answers for many actors at once in a fixed number of queries (the national
coverage matrix asks for 38 provinces x 5 actors)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.models import ActorKind
from appointments.models import Decree
from core import clock
from core.periods import QUARTER, parse_period, period_containing, period_label
from duties.calendar import WorkingCalendar
from duties.models import Duty, Task
from meetings.models import Meeting, MinutesVersion
from reports.models import Report, ReportSection, ReportType

from .models import DutyAccount, DutyOccurrence


class Standing:
    DONE = "terlaksana"
    PARTIAL = "sebagian"
    NOT_YET = "belum"
    NONE = "tidak-ada-kejadian"

    LABELS = {
        DONE: gettext_lazy("Terlaksana"),
        PARTIAL: gettext_lazy("Sebagian"),
        NOT_YET: gettext_lazy("Belum"),
        NONE: gettext_lazy("Tidak ada kejadian"),
    }
    # Accounted for: the quarter says something about the duty.
    ACCOUNTED = frozenset({DONE, PARTIAL, NONE})


class Source:
    TASKS = "tugas"
    MEETINGS = "rapat"
    REPORTS = "laporan"
    DECREES = "penetapan"
    ASSESSMENT = "penilaian"
    ACCOUNT = "uraian"
    OCCURRENCES = "kejadian"

    LABELS = {
        TASKS: gettext_lazy("Tugas terjadwal"),
        MEETINGS: gettext_lazy("Rapat dan notulen"),
        REPORTS: gettext_lazy("Laporan yang dikirim"),
        DECREES: gettext_lazy("SK yang dicatat"),
        ASSESSMENT: gettext_lazy("Tabel penilaian laporan triwulan"),
        ACCOUNT: gettext_lazy("Uraian triwulan pelaku"),
        OCCURRENCES: gettext_lazy("Catatan kejadian"),
    }
    # The sources whose standing the actor writes (an account, an occurrence, a declaration).
    WRITTEN = frozenset({ACCOUNT, OCCURRENCES, DECREES})


# Duties whose evidence lives in another part of the app, by (actor kind, seed number).
DECREE_DUTIES = {(ActorKind.GUBERNUR, 2)}
ASSESSMENT_DUTIES = {(ActorKind.TK_PROVINSI, 7)}


def source_of(duty, report_duty_ids):
    key = (duty.kind.code, duty.number)
    if key in DECREE_DUTIES:
        return Source.DECREES
    if key in ASSESSMENT_DUTIES:
        return Source.ASSESSMENT
    if duty.recurrence == Duty.Recurrence.ON_EVENT:
        return Source.OCCURRENCES
    if duty.recurrence == Duty.Recurrence.CONTINUOUS:
        return Source.ACCOUNT
    if duty.pk in report_duty_ids:
        return Source.REPORTS
    if duty.category == Duty.Category.MEETING:
        return Source.MEETINGS
    return Source.TASKS


@dataclass
class Evidence:
    label: str
    note: str = ""
    href: str = ""
    late: bool = False


@dataclass
class Row:
    duty: Duty
    source: str
    standing: str = Standing.NOT_YET
    evidence: list = field(default_factory=list)
    account: DutyAccount | None = None
    occurrences: list = field(default_factory=list)

    @property
    def standing_label(self):
        return Standing.LABELS[self.standing]

    @property
    def source_label(self):
        return Source.LABELS[self.source]

    @property
    def accounted(self):
        return self.standing in Standing.ACCOUNTED

    @property
    def written(self):
        """Whether the actor writes this duty's quarter (an account, an occurrence, a declaration)."""
        return self.source in Source.WRITTEN


@dataclass
class Ledger:
    actor: object
    period: object  # core.periods.Period (a quarter)
    due_date: datetime.date
    today: datetime.date
    rows: list

    @property
    def accounted(self):
        return sum(1 for r in self.rows if r.accounted)

    @property
    def share(self):
        return self.accounted / len(self.rows) if self.rows else None

    @property
    def overdue(self):
        """Past the account's deadline with a duty the actor writes still silent."""
        return self.today > self.due_date and any(r.written and not r.accounted for r in self.rows)


def quarter(key):
    """The quarter of `key` ('2026-Q4'); ValueError for anything else."""
    period = parse_period(key)
    if period.kind != QUARTER:
        raise ValueError(key)
    return period


def current_quarter(province=None):
    return period_containing(QUARTER, clock.local_today(province))


def account_deadline_days():
    """Days after the quarter the accounts are due: the quarterly report's
    deadline (ReportType of the TK's quarterly report), 10 without one."""
    days = (
        ReportType.objects.filter(period=ReportType.Period.QUARTERLY, active=True)
        .order_by("order", "pk")
        .values_list("deadline_days", flat=True)
        .first()
    )
    return 10 if days is None else days


def due_date_of(period, province, deadline_days, calendar):
    return calendar.next_working_day(period.end + datetime.timedelta(days=deadline_days), province)


def _overlapping(prefix, period):
    return Q(**{f"{prefix}period_start__lte": period.end, f"{prefix}period_end__gte": period.start})


def _keys_within(period):
    """The period keys a quarter holds: its months and itself."""
    first = period.start.month
    return [f"{period.start.year}-{m:02d}" for m in range(first, first + 3)] + [period.key]


def build(actors, period, *, detail=False, evidence=True, today=None):
    """{actor.pk: Ledger} for these provincial actors (province and kind
    loaded) in the quarter `period` (a Period). `detail`: evidence links and
    the accounts' linked work, for the ledger page. `evidence=False`: the
    standings only, no evidence list (the national coverage matrix, which
    shows counts: it spares the words of some thousand evidence lines). Queries: a fixed number,
    whatever the number of actors and the data (11 without detail; with
    detail up to 16: the prefetches of the accounts' links and of the
    attachments run only when there is an account or an occurrence)."""
    actors = list(actors)
    if not actors:
        return {}
    actor_ids = [a.pk for a in actors]
    kind_ids = {a.kind_id for a in actors}
    duties = list(Duty.objects.filter(kind__in=kind_ids).select_related("kind").order_by("kind__order", "number"))
    report_duty_ids = set(ReportType.objects.filter(duty__isnull=False, active=True).values_list("duty_id", flat=True))
    deadline_days = account_deadline_days()
    calendar = WorkingCalendar()

    # Recurring duties: the tasks of the quarter (scheduled ones overlap it,
    # others fall due in it). A task with neither period nor due date (a
    # one-off duty's, say KMW 8) counts in each quarter from the one it was
    # made in until the one it was completed in, in the province's dates; a
    # one-off duty completed before the quarter stays carried out.
    tasks = {}
    zones = {a.pk: clock.zone_of(a.province) for a in actors}
    for task in (
        Task.objects.filter(actor__in=actor_ids)
        .exclude(status=Task.Status.CANCELLED)
        .filter(
            _overlapping("", period)
            | Q(period="", due_date__range=(period.start, period.end))
            | Q(period="", due_date__isnull=True, created_at__date__lte=period.end + datetime.timedelta(days=1))
        )
        .only(
            "id",
            "actor_id",
            "duty_id",
            "title",
            "period",
            "status",
            "due_date",
            "overdue_since",
            "created_at",
            "completed_at",
        )
        .order_by("due_date", "id")
    ):
        if not task.period and task.due_date is None:
            zone = zones[task.actor_id]
            if timezone.localtime(task.created_at, zone).date() > period.end:
                continue
            done_on = task.completed_at and timezone.localtime(task.completed_at, zone).date()
            if done_on and done_on < period.start and task.status == Task.Status.DONE:
                task.done_before = done_on
        tasks.setdefault((task.actor_id, task.duty_id), []).append(task)

    # Meeting duties: meetings of the duty held in the quarter, and whether their minutes were approved.
    meetings = {}
    approved = MinutesVersion.objects.filter(meeting=OuterRef("pk"), status=MinutesVersion.Status.APPROVED)
    for meeting in (
        # By the series' duty, not the duty task's: a meeting not held yet has
        # no duty task, and it is evidence too ("belum terlaksana").
        Meeting.objects.filter(
            actor__in=actor_ids,
            series__duty__isnull=False,
            period__in=_keys_within(period),
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(minutes_approved=Exists(approved))
        .only("id", "actor_id", "title", "period", "status", "starts_at", "series__duty_id")
        .select_related("series")
        .order_by("starts_at")
    ):
        meetings.setdefault((meeting.actor_id, meeting.series.duty_id), []).append(meeting)

    # Report duties: the reports of the quarter's periods; and TK 7: the quarterly report's assessment table.
    reports = {}
    assessed = {}
    assessment_types = set(
        ReportSection.objects.filter(kind=ReportSection.Kind.ASSESSMENT).values_list("report_type_id", flat=True)
    )
    for report in (
        Report.objects.filter(actor__in=actor_ids, period_start__gte=period.start, period_end__lte=period.end)
        .exclude(period="")
        .select_related("report_type", "latest_version")
        .only(
            "id",
            "actor_id",
            "period",
            "status",
            "version_count",
            "submitted_on_time",
            "due_date",
            "report_type__name",
            "report_type__duty_id",
            "report_type__period",
            "latest_version__number",
            "latest_version__snapshot",
        )
        .order_by("period", "id")
    ):
        if report.report_type.duty_id:
            reports.setdefault((report.actor_id, report.report_type.duty_id), []).append(report)
        if report.report_type_id in assessment_types and report.latest_version_id:
            rows = (report.latest_version.snapshot or {}).get("assessment") or []
            assessed[report.actor_id] = (report, len(rows))

    # Gubernur 2: the decrees of the TK's seats recorded in the quarter, by province.
    decrees = {}
    provinces = {a.province_id for a in actors}
    for decree in (
        # The seed's line: the chair and members of the TK, not other seats' decrees.
        Decree.objects.filter(
            actor__province__in=provinces,
            actor__kind__code=ActorKind.TK_PROVINSI,
            date__range=(period.start, period.end),
        )
        .select_related("actor__kind")
        .only("id", "number", "date", "subject", "proposal_id", "actor__province_id", "actor__kind__short_name")
        .order_by("date", "id")
    ):
        decrees.setdefault(decree.actor.province_id, []).append(decree)

    accounts = DutyAccount.objects.filter(actor__in=actor_ids, period=period.key)
    if detail:
        accounts = accounts.select_related("written_by").prefetch_related(
            # A task's label falls back on its duty's text.
            Prefetch("tasks", queryset=Task.objects.select_related("duty__kind")),
            "meetings",
            "documents",
            "attachments",
        )
    accounts = {(a.actor_id, a.duty_id): a for a in accounts}
    occurrences = {}
    found = DutyOccurrence.objects.filter(actor__in=actor_ids, occurred_on__range=(period.start, period.end))
    if detail:
        found = found.select_related("recorded_by").prefetch_related("attachments")
    for occurrence in found.order_by("occurred_on", "id"):
        occurrences.setdefault((occurrence.actor_id, occurrence.duty_id), []).append(occurrence)

    result = {}
    for actor in actors:
        day = today or clock.local_today(actor.province)
        rows = []
        for duty in duties:
            if duty.kind_id != actor.kind_id:
                continue
            key = (actor.pk, duty.pk)
            row = Row(duty=duty, source=source_of(duty, report_duty_ids))
            row.account = accounts.get(key)
            row.occurrences = occurrences.get(key, [])
            _derive(
                row,
                day=day,
                detail=detail,
                collect=evidence,
                tasks=tasks.get(key, []),
                meetings=meetings.get(key, []),
                reports=reports.get(key, []),
                decrees=decrees.get(actor.province_id, []),
                assessed=assessed.get(actor.pk),
            )
            rows.append(row)
        due = due_date_of(period, actor.province, deadline_days, calendar)
        result[actor.pk] = Ledger(actor=actor, period=period, due_date=due, today=day, rows=rows)
    return result


def _share_standing(done, expected):
    if expected and done >= expected:
        return Standing.DONE
    return Standing.PARTIAL if done else Standing.NOT_YET


def _derive(row, *, day, detail, collect, tasks, meetings, reports, decrees, assessed):
    def link(name, pk):
        return reverse(name, args=[pk]) if detail else ""

    source = row.source
    if source == Source.TASKS:
        done = 0
        for task in tasks:
            finished = task.status == Task.Status.DONE
            done += finished
            if collect:
                late = not finished and task.due_date is not None and task.due_date < day
                note = _("selesai") if finished else (_("lewat tenggat") if late else _("belum selesai"))
                if getattr(task, "done_before", None):
                    note = _("selesai sebelumnya, %(date)s") % {"date": task.done_before.isoformat()}
                label = task.title or f"{row.duty.ref} {period_label(task.period)}".strip()
                row.evidence.append(Evidence(label, note, link("duties:task_detail", task.pk), late))
        row.standing = _share_standing(done, len(tasks))
    elif source == Source.MEETINGS:
        expected = len(tasks) or 1
        held = 0
        for meeting in meetings:
            ok = meeting.status == Meeting.Status.HELD and meeting.minutes_approved
            held += ok
            if not collect:
                continue
            if ok:
                note = _("terlaksana, notulen disetujui")
            elif meeting.status == Meeting.Status.HELD:
                note = _("terlaksana, notulen belum disetujui")
            else:
                note = _("belum terlaksana")
            row.evidence.append(Evidence(meeting.title, note, link("meetings:meeting_detail", meeting.pk)))
        partial = held or any(m.status == Meeting.Status.HELD for m in meetings)
        row.standing = Standing.DONE if held >= expected else (Standing.PARTIAL if partial else Standing.NOT_YET)
    elif source == Source.REPORTS:
        sent = 0
        for report in reports:
            sent += bool(report.version_count)
            if not collect:
                continue
            if report.version_count:
                note = _("dikirim tepat waktu") if report.submitted_on_time else _("dikirim terlambat")
                late = not report.submitted_on_time
            else:
                late = report.due_date is not None and report.due_date < day
                note = _("belum dikirim, lewat tenggat") if late else _("belum dikirim")
            label = f"{report.report_type.name} {period_label(report.period)}"
            row.evidence.append(Evidence(label, note, link("reports:report_detail", report.pk), late))
        row.standing = _share_standing(sent, len(reports))
    elif source == Source.DECREES:
        for decree in decrees if collect else ():
            label = _("SK %(number)s: %(subject)s") % {"number": decree.number, "subject": decree.subject}
            note = _("ditetapkan %(date)s") % {"date": decree.date.isoformat()}
            row.evidence.append(Evidence(label, note, link("appointments:proposal_detail", decree.proposal_id)))
        for occurrence in row.occurrences if collect else ():
            row.evidence.append(Evidence(occurrence.what, occurrence.occurred_on.isoformat()))
        # A decree recorded, or an appointment the office recorded as an occurrence.
        row.standing = Standing.DONE if decrees or row.occurrences else _declared(row)
    elif source == Source.ASSESSMENT:
        if assessed:
            report, count = assessed
            if collect:
                label = f"{report.report_type.name} {period_label(report.period)}"
                note = _("%(n)s baris penilaian (versi %(v)s)") % {"n": count, "v": report.latest_version.number}
                row.evidence.append(Evidence(label, note, link("reports:report_detail", report.pk)))
            row.standing = Standing.DONE if count else Standing.NOT_YET
    elif source == Source.ACCOUNT:
        account = row.account
        written = account is not None and account.kind == DutyAccount.Kind.ACCOUNT and account.text.strip()
        row.standing = Standing.DONE if written else Standing.NOT_YET
    elif source == Source.OCCURRENCES:
        for occurrence in row.occurrences if collect else ():
            row.evidence.append(Evidence(occurrence.what, occurrence.occurred_on.isoformat()))
        row.standing = Standing.DONE if row.occurrences else _declared(row)


def _declared(row):
    account = row.account
    if account is not None and account.kind == DutyAccount.Kind.NO_OCCURRENCE:
        return Standing.NONE
    return Standing.NOT_YET
