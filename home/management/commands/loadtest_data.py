import datetime
import heapq
import random
import time
from unittest import mock

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from duties.management.commands.bench import parse_sizes

# username, actor kind, province code (None: national), position
LOAD_USERS = [
    ("load-pjoprov", "pjoprov", "33", "pjoprov"),
    ("load-gubernur", "gubernur", "33", "staf-biro"),
    ("load-tk", "tk-provinsi", "33", "sekretaris"),
    ("load-kmw", "kmw", "33", "koordinator"),
    ("load-seknas", "seknas", None, "staf-sekretariat"),
]

# The report history's shape: of the reports whose deadline has passed, this
# share is sent (the rest stay drafts, overdue); of those sent, this share is
# sent late, this share returned once for revision, of the returned ones this
# share sent again, and this share of the sent ones acknowledged by the reviewer.
SUBMITTED_SHARE = 0.93
LATE_SHARE = 0.20
RETURNED_SHARE = 0.08
RESUBMITTED_SHARE = 0.85
ACKNOWLEDGED_SHARE = 0.75
BATCH = 500
# The persons who write and review in every province: (actor kind, position).
REPORT_PEOPLE = [
    ("tk-provinsi", "anggota"),
    ("pjoprov", "pjoprov"),
    ("kmw", "tenaga-ahli"),
    ("gubernur", "staf-biro"),
]


class Command(BaseCommand):
    help = (
        "Prepare the `make loadtest` database '<name>_load': migrated, grown to --size tasks with the "
        "benchmark's data builder (duties.bench.build_dataset), --report-years years of periodic reports "
        "in every province (written, sent, returned, sent again and acknowledged through reports.services at "
        "their past dates), and users of several roles with --password. Kept between runs (growing is "
        "idempotent). Prints the database name on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=lambda v: parse_sizes(v)[-1], default=100_000)
        parser.add_argument("--password", required=True)
        parser.add_argument("--report-years", type=int, default=10)
        parser.add_argument("--seed", type=int, default=20)

    def handle(self, *args, size, password, report_years, seed, **options):
        db = settings.DATABASES["default"]
        db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_load"
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
        self.stdout.write(f"database: {name}")
        build_load_data(size, password, report_years=report_years, seed=seed, log=self.stdout.write)
        self.stdout.write(", ".join(u[0] for u in LOAD_USERS))
        self.stdout.write(name)


def build_load_data(size, password, *, report_years=10, seed=20, log=print):
    """Everything but the database: the tasks, the reports and the users."""
    from duties import bench

    bench.build_dataset(size, log=log)
    _load_regions(log)
    if report_years:
        started = time.monotonic()
        counts = build_reports(years=report_years, seed=seed, log=log)
        log(f"reports: {counts} in {time.monotonic() - started:.0f} s")
    _load_users(password)


def _load_regions(log):
    """The full official region tree (the pinned edition), so that the
    assessment rows name real units as people's do."""
    from regions import edition
    from regions.loading import load

    started = time.monotonic()
    result = load(edition.read(edition.download()))
    log(f"regions: {result.total} units, {result.added} added in {time.monotonic() - started:.0f} s")


def _load_users(password):
    from actors.models import Actor, Membership, Position, User
    from actors.services import do_add_membership

    with transaction.atomic():
        for username, kind, province, position in LOAD_USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
            user.set_password(password)
            user.save(update_fields=["password"])
            actor = Actor.objects.get(kind__code=kind, province__code=province)
            if not Membership.objects.filter(user=user, actor=actor).exists():
                do_add_membership(
                    user=user,
                    actor=actor,
                    position=Position.objects.get(code=position),
                    start_date=datetime.date(2000, 1, 1),
                )


# The report history -------------------------------------------------------------


def _report_people():
    """{(kind code, province id): user}: one member of every writing and
    reviewing actor in every province (made once, kept)."""
    from actors.models import Actor, Membership, Position, User
    from actors.services import do_add_membership

    people = {}
    positions = {code: Position.objects.get(code=code) for _, code in REPORT_PEOPLE}
    actors = Actor.objects.provincial().filter(kind__code__in=[k for k, _ in REPORT_PEOPLE]).select_related("kind")
    with transaction.atomic():
        for actor in actors.order_by("province__code", "kind__code"):
            username = f"load-{actor.kind.code}-{actor.province.code}"
            user, created = User.objects.get_or_create(username=username, defaults={"full_name": username})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            if not Membership.objects.filter(user=user, actor=actor).exists():
                kind_position = dict(REPORT_PEOPLE)[actor.kind.code]
                do_add_membership(
                    user=user, actor=actor, position=positions[kind_position], start_date=datetime.date(2000, 1, 1)
                )
            people[(actor.kind.code, actor.province_id)] = user
    return people


def _at(day, province, rng, hour=(8, 16)):
    """An aware moment on `day` during office hours in the province's zone."""
    from core import clock

    return datetime.datetime.combine(
        day, datetime.time(rng.randint(*hour), rng.randint(0, 59)), tzinfo=clock.zone_of(province)
    )


def _months(first, last):
    day = first.replace(day=1)
    while day <= last:
        yield day
        day = (day + datetime.timedelta(days=32)).replace(day=1)


def plan_report(report, now, seed):
    """What happens to one report, a function of its key and the seed only
    (the same whatever the database ids or the order of the run): a list of
    (moment, action) with action "submit", "return" or "acknowledge"."""
    rng = random.Random(f"{seed}:{report.report_type.code}:{report.province.code}:{report.period}")
    if rng.random() >= SUBMITTED_SHARE:
        return []
    due = report.due_date
    province = report.province
    if rng.random() < LATE_SHARE:
        day = due + datetime.timedelta(days=rng.randint(1, 40))
    else:
        day = max(report.period_end + datetime.timedelta(days=1), due - datetime.timedelta(days=rng.randint(0, 9)))
        day = min(day, due)
    moment = _at(day, province, rng)
    plan = [(moment, "submit")]
    if rng.random() < RETURNED_SHARE:
        moment = _at(moment.date() + datetime.timedelta(days=rng.randint(2, 6)), province, rng)
        plan.append((moment, "return"))
        if rng.random() >= RESUBMITTED_SHARE:
            return [step for step in plan if step[0] <= now]
        moment = _at(moment.date() + datetime.timedelta(days=rng.randint(2, 10)), province, rng)
        plan.append((moment, "submit"))
    if rng.random() < ACKNOWLEDGED_SHARE:
        moment = _at(moment.date() + datetime.timedelta(days=rng.randint(2, 20)), province, rng)
        plan.append((moment, "acknowledge"))
    return [step for step in plan if step[0] <= now]


def _write_drafts(reports, rng):
    """Every section of these drafts filled and the signature block: the rows
    reports.services.do_save_draft writes (as an autosave: no audit event),
    in bulk."""
    from regions.models import Region
    from reports.models import AssessmentRow, Issue, Report, ReportSection, SectionText

    # Each province's own unit and its kabupaten/kota, when the tree is loaded
    # (_load_regions); else the rows are free text, as before the tree.
    units = {}
    for unit in Region.objects.in_force().filter(level__in=["provinsi", "kabupaten"]).order_by("code"):
        units.setdefault(unit.province_code, []).append(unit)
    texts, rows, issues = [], [], []
    for report in reports:
        first_issue = len(issues)
        for section in report.report_type.sections.all():
            texts.append(
                SectionText(report=report, section=section, text=f"{section.title} {report.period}: uraian singkat.")
            )
            if section.kind == ReportSection.Kind.ASSESSMENT and report.province.code in units:
                province, *regencies = units[report.province.code]
                rows += [
                    AssessmentRow(
                        report=report,
                        order=i,
                        level=unit.level,
                        region=unit,
                        unit_code=unit.code,
                        unit_name=unit.printed_name,
                        rating=rng.choice(AssessmentRow.Rating.values),
                        note="",
                    )
                    for i, unit in enumerate([province, *rng.sample(regencies, min(3, len(regencies)))], start=1)
                ]
            elif section.kind == ReportSection.Kind.ASSESSMENT:
                rows += [
                    AssessmentRow(
                        report=report,
                        order=i,
                        level=level,
                        unit_code="",
                        unit_name=f"{label} {report.province.name}",
                        rating=rng.choice(AssessmentRow.Rating.values),
                        note="",
                    )
                    for i, (level, label) in enumerate(
                        [(AssessmentRow.Level.PROVINSI, "Provinsi"), (AssessmentRow.Level.KABUPATEN, "Kabupaten")],
                        start=1,
                    )
                ]
            kind = {
                ReportSection.Kind.PROBLEMS: Issue.Kind.PROBLEM,
                ReportSection.Kind.CONSTRAINTS: Issue.Kind.CONSTRAINT,
            }
            if section.kind in kind:
                issues.append(
                    Issue(
                        report=report,
                        order=len(issues) - first_issue + 1,
                        kind=kind[section.kind],
                        category=rng.choice(Issue.Category.values),
                        description=f"{section.title} di {report.province.name}",
                        state=rng.choice(Issue.State.values),
                    )
                )
        report.signer_name = f"Penanda tangan {report.actor}"
        report.signer_position = str(report.actor.kind)
        report.sign_place = report.province.name
        report.sign_date = min(report.due_date, report.period_end + datetime.timedelta(days=3))
    SectionText.objects.bulk_create(texts, batch_size=2000)
    AssessmentRow.objects.bulk_create(rows, batch_size=2000)
    Issue.objects.bulk_create(issues, batch_size=2000)
    Report.objects.bulk_update(reports, ["signer_name", "signer_position", "sign_place", "sign_date"], batch_size=2000)


def _review(services, report, reviewer, action):
    from reports.models import ReportReview

    if action == "acknowledge":
        services.do_review_report(user=reviewer, report=report, decision=ReportReview.Decision.ACKNOWLEDGE)
    else:
        section = report.report_type.sections.all()[0]
        services.do_review_report(
            user=reviewer,
            report=report,
            decision=ReportReview.Decision.RETURN,
            section_reasons={section.code: "Lengkapi data capaian per kabupaten."},
        )


def build_reports(*, years=10, seed=20, now=None, provinces=None, sweeps=True, log=print):
    """`years` years of periodic reports (this year and the ones before) in
    every province (or the given province codes), replayed in time order
    through the application at their own past moments (time-machine): the
    reconcile makes the slots at the start of each month
    (reports.scheduler.create_report_slots) and flags the overdue ones every
    Monday (mark_reports_overdue); the writers' drafts are filled in bulk (the
    rows do_save_draft writes); sending, returning, sending again and
    acknowledging go through reports.services (versions, grants, task
    completion, audit events, notifications). Deterministic: each report's
    fate is drawn from the seed and its (type, province, period). Idempotent:
    a report already sent is left alone. Returns counts by status."""
    import time_machine
    from django.db.models import Count
    from django.utils import timezone

    from actors.models import Province
    from core import clock
    from reports import permissions, services
    from reports.models import Report, SectionText
    from reports.scheduler import create_report_slots, mark_reports_overdue

    now = now or timezone.now()
    today = timezone.localtime(now, clock.zone_of(None)).date()
    first = datetime.date(today.year - years + 1, 1, 1)
    provinces = list(Province.objects.filter(code__in=provinces) if provinces else Province.objects.all())
    rng = random.Random(seed)

    # The reconcile, month by month (it makes the current and the previous
    # period's slots; every province at once).
    with time_machine.travel(now, tick=False) as traveller:
        for month in _months(first, today):
            traveller.move_to(datetime.datetime.combine(month, datetime.time(1), tzinfo=clock.zone_of(None)))
            with transaction.atomic():
                create_report_slots(on=month)
    reports = list(
        Report.objects.filter(province__in=provinces, period_end__gte=first, version_count=0)
        .exclude(period="")
        .select_related("report_type", "actor__kind", "province")
        .prefetch_related("report_type__sections")
        .order_by("period_start", "report_type__order", "province__code")
    )
    plans = {r.pk: plan_report(r, now, seed) for r in reports}
    planned = [r for r in reports if plans[r.pk] and r.status == Report.Status.DRAFT]
    written = set(SectionText.objects.filter(report__in=planned).values_list("report_id", flat=True).distinct())
    with transaction.atomic():
        _write_drafts([r for r in planned if r.pk not in written], rng)
    log(f"reports: {len(reports)} drafts, {len(planned)} to send")

    people = _report_people()
    events = []  # (moment, order, action, report)
    for n, report in enumerate(planned):
        for step, (moment, action) in enumerate(plans[report.pk]):
            events.append((moment, n, step, action, report))
    # The overdue sweep every Monday morning (Jakarta), between the others.
    day = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    while sweeps and day <= today:
        events.append(
            (datetime.datetime.combine(day, datetime.time(0, 30), tzinfo=clock.zone_of(None)), -1, 0, "sweep", None)
        )
        day += datetime.timedelta(days=7)
    heapq.heapify(events)
    reviewer_kind = {}
    done = 0
    # Mail for years-old notices is not sent: they are recorded (the inbox
    # shows them), not queued for delivery. One transaction per batch of steps.
    with (
        time_machine.travel(now, tick=False) as traveller,
        mock.patch("core.notifications.enqueue_on_commit"),
    ):
        while events:
            with transaction.atomic():
                for _ in range(min(BATCH, len(events))):
                    moment, _n, _step, action, report = heapq.heappop(events)
                    traveller.move_to(moment)
                    if action == "sweep":
                        mark_reports_overdue()
                        continue
                    if action == "submit":
                        services.do_submit_report(
                            user=people[(report.actor.kind.code, report.province_id)], report=report
                        )
                    else:
                        key = report.report_type_id, report.actor.kind_id
                        if key not in reviewer_kind:
                            reviewer_kind[key] = permissions.reviewer_kind_for(report.report_type, report.actor.kind)
                        _review(services, report, people[(reviewer_kind[key].code, report.province_id)], action)
                    done += 1
            log(f"reports: {done} steps")
    counts = dict(
        Report.objects.filter(period_start__gte=first, province__in=provinces)
        .exclude(period="")
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return counts
