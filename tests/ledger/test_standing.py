"""Every way ledger.standing derives a duty's standing for a quarter, from what
the application holds: tasks, meetings and their minutes, reports sent,
decrees, the TK's assessment table, the actor's account, occurrences and the
declaration "tidak ada kejadian"; the accounts' due date and Ledger.overdue;
and build()'s fixed number of queries. Data comes through the services the
pages use (tasks, meetings, reports, appointments); the ledger's own rows
(accounts, occurrences) are written directly, to reach the cases the
services refuse (an empty account)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor, Position
from core.permissions import sync_grants
from duties import services as duty_services
from duties.models import Duty, NonWorkingDay, Task
from duties.scheduler import create_scheduled_tasks
from ledger.models import DutyAccount, DutyOccurrence
from ledger.standing import Source, Standing, build, current_quarter, quarter
from meetings import services as meeting_services
from reports import services as report_services
from reports.models import ReportSection, ReportType
from reports.scheduler import create_report_slots
from tests import personas
from tests.actors.conftest import approve, submitted
from tests.factories import member
from tests.meetings.conftest import make_meeting
from tests.reports.conftest import content, report_of

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(*args, zone=JAKARTA):
    return time_machine.travel(datetime.datetime(*args, tzinfo=zone), tick=False)


def actor_of(kind, province="33"):
    return Actor.objects.select_related("province", "kind").get(kind__code=kind, province__code=province)


def ledger_of(kind, province, key, **kwargs):
    actor = actor_of(kind, province)
    return build([actor], quarter(key), **kwargs)[actor.pk]


def row_of(ledger, number):
    return next(r for r in ledger.rows if r.duty.number == number)


def duty(kind, number):
    return Duty.objects.get(kind__code=kind, number=number)


def write(kind, province, number, writer, period, text="Koordinasi dengan kabupaten.", declared=False):
    return DutyAccount.objects.create(
        actor=actor_of(kind, province),
        duty=duty(kind, number),
        period=period,
        kind=DutyAccount.Kind.NO_OCCURRENCE if declared else DutyAccount.Kind.ACCOUNT,
        text="" if declared else text,
        written_by=writer,
    )


def occur(kind, province, number, writer, on):
    return DutyOccurrence.objects.create(
        actor=actor_of(kind, province),
        duty=duty(kind, number),
        occurred_on=on,
        what="Masalah pencairan BLM di Kecamatan Wanareja",
        action="Pendampingan oleh tenaga ahli",
        recorded_by=writer,
    )


# The ledger's shape ---------------------------------------------------------------


def test_one_row_per_duty_in_the_seeds_order_with_its_source(db):
    with at(2026, 11, 16, 10):
        ledger = ledger_of("pjoprov", "33", "2026-Q4")
    assert [r.duty.ref for r in ledger.rows] == [f"PjOProv-{n}" for n in range(1, 9)]
    assert [r.source for r in ledger.rows] == [
        Source.ACCOUNT,
        Source.ACCOUNT,
        Source.ACCOUNT,
        Source.ACCOUNT,
        Source.MEETINGS,
        Source.REPORTS,
        Source.TASKS,
        Source.OCCURRENCES,
    ]
    assert all(r.standing == Standing.NOT_YET for r in ledger.rows)
    assert ledger.accounted == 0 and ledger.share == 0
    assert row_of(ledger, 3).duty.text == Duty.objects.get(kind__code="pjoprov", number=3).text
    assert row_of(ledger_of("gubernur", "33", "2026-Q4"), 2).source == Source.DECREES
    assert row_of(ledger_of("tk-provinsi", "33", "2026-Q4"), 7).source == Source.ASSESSMENT


def test_quarter_keys_are_validated_and_the_current_quarter_is_the_provinces(db):
    assert quarter("2026-Q4").start == datetime.date(2026, 10, 1)
    for key in ("2026-11", "2026", "2026-Q5", "", "Q4"):
        with pytest.raises(ValueError):
            quarter(key)
    # 30 September 2026, 16.00 UTC: still Q3 in Jakarta (23.00), already Q4 in Jayapura (01.00).
    with at(2026, 9, 30, 16, zone=datetime.UTC):
        assert current_quarter(actor_of("pjoprov", "33").province).key == "2026-Q3"
        assert current_quarter(actor_of("pjoprov", "91").province).key == "2026-Q4"


# Tasks ------------------------------------------------------------------------------

KMW_MONTHLY = 2  # KMW-2, monthly monitoring: one scheduled task a month


@pytest.fixture
def kmw_tasks(db):
    """The three monthly tasks of KMW-2 in Q3 2026, as the reconcile makes them."""
    for day in (datetime.date(2026, 7, 6), datetime.date(2026, 8, 6), datetime.date(2026, 9, 7)):
        create_scheduled_tasks(on=day)
    tasks = list(
        Task.objects.filter(actor=actor_of("kmw"), duty=duty("kmw", KMW_MONTHLY))
        .order_by("period")
        .select_related("actor", "duty")
    )
    assert [t.period for t in tasks] == ["2026-07", "2026-08", "2026-09"]
    return tasks


@pytest.fixture
def kmw_coordinator(db):
    return member("kmw", "33", position="koordinator", username="kmw-koordinator")


def complete(task, user):
    duty_services.do_update_task_status(
        user=user, task=task, status=Task.Status.DONE, note="Selesai, laporan terlampir"
    )


def test_tasks_all_done_is_terlaksana_some_sebagian_none_belum(kmw_tasks, kmw_coordinator):
    with at(2026, 9, 20, 10):
        kmw = row_of(ledger_of("kmw", "33", "2026-Q3"), KMW_MONTHLY)
        assert kmw.source == Source.TASKS
        assert kmw.standing == Standing.NOT_YET
        assert [e.note for e in kmw.evidence] == ["lewat tenggat", "lewat tenggat", "belum selesai"]

        complete(kmw_tasks[0], kmw_coordinator)
        kmw = row_of(ledger_of("kmw", "33", "2026-Q3"), KMW_MONTHLY)
        assert kmw.standing == Standing.PARTIAL
        assert kmw.evidence[0].note == "selesai" and not kmw.evidence[0].late

        for task in kmw_tasks[1:]:
            complete(task, kmw_coordinator)
        assert row_of(ledger_of("kmw", "33", "2026-Q3"), KMW_MONTHLY).standing == Standing.DONE
    # Another quarter does not see them; another province's KMW has its own.
    with at(2026, 11, 16, 10):
        assert row_of(ledger_of("kmw", "33", "2026-Q4"), KMW_MONTHLY).evidence == []
        assert row_of(ledger_of("kmw", "34", "2026-Q3"), KMW_MONTHLY).standing == Standing.NOT_YET


def test_cancelled_tasks_are_ignored(kmw_tasks, kmw_coordinator):
    with at(2026, 9, 20, 10):
        complete(kmw_tasks[2], kmw_coordinator)
        for task in kmw_tasks[:2]:
            duty_services.do_update_task_status(
                user=kmw_coordinator, task=task, status=Task.Status.CANCELLED, note="Digabung dengan bulan lain"
            )
        kmw = row_of(ledger_of("kmw", "33", "2026-Q3"), KMW_MONTHLY)
    assert kmw.standing == Standing.DONE
    assert len(kmw.evidence) == 1


def test_an_open_task_is_late_by_the_provinces_date_not_the_servers(db):
    """30 November 2026, 16.00 UTC: the server's (UTC) date and Jakarta's are
    the 30th, Jayapura's already 1 December. A task due on the 30th is late in
    Papua only."""
    papua = member("pjoprov", "91", username="pjo-papua")
    jateng = member("pjoprov", "33", username="pjo-jateng")
    due = datetime.date(2026, 11, 30)
    with at(2026, 11, 20, 10):
        for user, code in ((papua, "91"), (jateng, "33")):
            duty_services.do_create_task(
                user=user, actor=actor_of("pjoprov", code), duty=duty("pjoprov", 7), title="Supervisi", due_date=due
            )
    with at(2026, 11, 30, 16, zone=datetime.UTC):
        assert datetime.datetime.now(datetime.UTC).date() == due
        in_papua = ledger_of("pjoprov", "91", "2026-Q4")
        in_jateng = ledger_of("pjoprov", "33", "2026-Q4")
    assert in_papua.today == datetime.date(2026, 12, 1)
    assert in_jateng.today == due
    [papua_task] = row_of(in_papua, 7).evidence
    [jateng_task] = row_of(in_jateng, 7).evidence
    assert papua_task.late and papua_task.note == "lewat tenggat"
    assert not jateng_task.late and jateng_task.note == "belum selesai"
    assert papua_task.label == "Supervisi"


# Meetings ---------------------------------------------------------------------------

ROUTINE = 5  # PjOProv-5: the monthly routine meeting, three a quarter


@pytest.fixture
def routine_meetings(db):
    """Q1 2025 of PjOProv Jawa Tengah: the monthly duty tasks (the reconcile)
    and the three routine meetings, chaired by the member."""
    chair = personas.make("member")
    for day in (datetime.date(2025, 1, 6), datetime.date(2025, 2, 3), datetime.date(2025, 3, 3)):
        create_scheduled_tasks(on=day)
    meetings = [make_meeting("pjoprov", "33", key) for key in ("2025-01", "2025-02", "2025-03")]
    return chair, meetings


def hold(meeting, chair, *, approve_minutes):
    starts = meeting.starts_at
    meeting_services.do_hold_meeting(
        user=chair, meeting=meeting, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    if approve_minutes:
        item = meeting.agenda.first()
        meeting_services.do_save_minutes(
            user=chair, meeting=meeting, notes="", entries={item.pk: ("Penyaluran BLM", "Dipercepat")}
        )
        meeting_services.do_approve_minutes(user=chair, meeting=meeting)


def test_meetings_held_with_approved_minutes_count_without_them_only_partly(routine_meetings):
    chair, meetings = routine_meetings
    with at(2025, 4, 20, 10):
        routine = row_of(ledger_of("pjoprov", "33", "2025-Q1"), ROUTINE)
        assert routine.source == Source.MEETINGS
        assert routine.standing == Standing.NOT_YET
        # Not held yet: evidence all the same.
        assert [e.note for e in routine.evidence] == ["belum terlaksana"] * 3

        hold(meetings[0], chair, approve_minutes=False)
        routine = row_of(ledger_of("pjoprov", "33", "2025-Q1"), ROUTINE)
        assert routine.standing == Standing.PARTIAL
        assert routine.evidence[0].note == "terlaksana, notulen belum disetujui"

        hold(meetings[1], chair, approve_minutes=True)
        routine = row_of(ledger_of("pjoprov", "33", "2025-Q1"), ROUTINE)
        assert routine.standing == Standing.PARTIAL
        assert [e.note for e in routine.evidence] == [
            "terlaksana, notulen belum disetujui",
            "terlaksana, notulen disetujui",
            "belum terlaksana",
        ]


def test_a_monthly_meeting_duty_needs_all_three_months_held_with_approved_minutes(routine_meetings):
    chair, meetings = routine_meetings
    with at(2025, 4, 20, 10):
        for meeting in meetings[:2]:
            hold(meeting, chair, approve_minutes=True)
        ledger = ledger_of("pjoprov", "33", "2025-Q1", detail=True)
        assert row_of(ledger, ROUTINE).standing == Standing.PARTIAL
        hold(meetings[2], chair, approve_minutes=True)
        ledger = ledger_of("pjoprov", "33", "2025-Q1", detail=True)
    routine = row_of(ledger, ROUTINE)
    assert routine.standing == Standing.DONE
    assert all(e.href.startswith("/rapat/") for e in routine.evidence)
    # The next quarter starts again from nothing.
    with at(2025, 4, 20, 10):
        assert row_of(ledger_of("pjoprov", "33", "2025-Q2"), ROUTINE).standing == Standing.NOT_YET


# Reports ----------------------------------------------------------------------------

REPORTING = 6  # PjOProv-6: the monthly report (pjoprov-bulanan)


def send(report, user, today):
    values = content(report)
    values["signature"]["sign_date"] = today
    report_services.do_save_draft(user=user, report=report, **values)
    report_services.do_submit_report(user=user, report=report)


def test_reports_of_the_quarters_months_on_time_late_or_not_sent(db):
    writer = personas.make("member")
    with at(2026, 7, 3, 10):
        create_report_slots(on=datetime.date(2026, 7, 3))
        send(report_of("pjoprov-bulanan", period="2026-06"), writer, datetime.date(2026, 7, 3))  # Q2: not counted
    with at(2026, 8, 5, 10):
        create_report_slots(on=datetime.date(2026, 8, 5))
        send(report_of("pjoprov-bulanan", period="2026-07"), writer, datetime.date(2026, 8, 5))
    with at(2026, 9, 25, 10):
        create_report_slots(on=datetime.date(2026, 9, 25))
        send(report_of("pjoprov-bulanan", period="2026-08"), writer, datetime.date(2026, 9, 25))
    with at(2026, 10, 20, 10):
        create_report_slots(on=datetime.date(2026, 10, 20))  # September's (due 12 October) and October's
        reporting = row_of(ledger_of("pjoprov", "33", "2026-Q3"), REPORTING)
        assert reporting.source == Source.REPORTS
        assert [(e.note, e.late) for e in reporting.evidence] == [
            ("dikirim tepat waktu", False),
            ("dikirim terlambat", True),
            ("belum dikirim, lewat tenggat", True),
        ]
        assert [e.label.split()[-1] for e in reporting.evidence] == ["2026", "2026", "2026"]
        assert reporting.standing == Standing.PARTIAL

        send(report_of("pjoprov-bulanan", period="2026-09"), writer, datetime.date(2026, 10, 20))
        assert row_of(ledger_of("pjoprov", "33", "2026-Q3"), REPORTING).standing == Standing.DONE
        # October's draft belongs to Q4 and is not due yet.
        october = row_of(ledger_of("pjoprov", "33", "2026-Q4"), REPORTING)
    assert [(e.note, e.late) for e in october.evidence] == [("belum dikirim", False)]
    assert october.standing == Standing.NOT_YET


# Decrees (Gubernur 2) --------------------------------------------------------------

APPOINTING = 2


def test_a_decree_of_the_province_in_the_quarter_carries_out_gubernur_2(db):
    proposer = personas.make("member")
    governor = personas.make("gubernur")
    with at(2026, 11, 16, 10):
        approve(submitted(proposer), governor)
        ours = row_of(ledger_of("gubernur", "33", "2026-Q4", detail=True), APPOINTING)
        theirs = row_of(ledger_of("gubernur", "34", "2026-Q4"), APPOINTING)
        earlier = row_of(ledger_of("gubernur", "33", "2026-Q3"), APPOINTING)
    assert ours.standing == Standing.DONE
    [evidence] = ours.evidence
    assert evidence.label.startswith("SK 188/379/KPTS/013/2026")
    assert evidence.href.startswith("/penetapan/")
    # Another province's decree does not count; nor a decree outside the quarter.
    assert theirs.standing == Standing.NOT_YET and theirs.evidence == []
    assert earlier.standing == Standing.NOT_YET


def test_no_decree_is_belum_until_the_governors_office_declares_none(db):
    governor = personas.make("gubernur")
    with at(2026, 11, 16, 10):
        assert row_of(ledger_of("gubernur", "33", "2026-Q4"), APPOINTING).standing == Standing.NOT_YET
        write("gubernur", "33", APPOINTING, governor, "2026-Q4", declared=True)
        declared = row_of(ledger_of("gubernur", "33", "2026-Q4"), APPOINTING)
    assert declared.standing == Standing.NONE
    assert declared.accounted


# Assessment (TK 7) -----------------------------------------------------------------

ASSESSING = 7


def test_the_assessment_rows_of_the_quarters_tk_report_as_last_sent(db):
    tk = member("tk-provinsi", "33", username="tk-jateng")
    day = datetime.date(2026, 10, 5)
    with at(2026, 10, 5, 10):
        create_report_slots(on=day)
        assert row_of(ledger_of("tk-provinsi", "33", "2026-Q3"), ASSESSING).standing == Standing.NOT_YET
        report = report_of("tk-triwulan")
        send(report, tk, day)
        assessing = row_of(ledger_of("tk-provinsi", "33", "2026-Q3"), ASSESSING)
        assert assessing.standing == Standing.DONE
        [evidence] = assessing.evidence
        assert evidence.note == "2 baris penilaian (versi 1)"
        # Another quarter's ledger does not see it.
        assert row_of(ledger_of("tk-provinsi", "33", "2026-Q4"), ASSESSING).standing == Standing.NOT_YET


def test_a_latest_version_without_assessment_rows_is_belum(db):
    """v1 with rows, returned by the Governor's office, v2 sent without
    rows (the admin made the section optional): the latest version counts."""
    tk = member("tk-provinsi", "33", username="tk-jateng")
    governor = personas.make("gubernur")
    day = datetime.date(2026, 10, 5)
    ReportSection.objects.filter(report_type__code="tk-triwulan", kind=ReportSection.Kind.ASSESSMENT).update(
        required=False
    )
    with at(2026, 10, 5, 10):
        create_report_slots(on=day)
        report = report_of("tk-triwulan")
        send(report, tk, day)
        assert row_of(ledger_of("tk-provinsi", "33", "2026-Q3"), ASSESSING).standing == Standing.DONE
        report_services.do_review_report(
            user=governor, report=report, decision="dikembalikan", section_reasons={"kemajuan": "Kurang rinci."}
        )
        report = report_of("tk-triwulan")
        values = content(report)
        values["assessment"] = []
        values["signature"]["sign_date"] = day
        report_services.do_save_draft(user=tk, report=report, **values)
        report_services.do_submit_report(user=tk, report=report)
        assessing = row_of(ledger_of("tk-provinsi", "33", "2026-Q3"), ASSESSING)
    assert assessing.standing == Standing.NOT_YET
    assert [e.note for e in assessing.evidence] == ["0 baris penilaian (versi 2)"]


# Accounts (ongoing duties) ---------------------------------------------------------

COORDINATING = 3  # PjOProv-3, ongoing


def test_an_ongoing_duty_is_carried_out_by_a_written_account_only(db):
    writer = personas.make("member")
    with at(2026, 11, 16, 10):
        assert row_of(ledger_of("pjoprov", "33", "2026-Q4"), COORDINATING).standing == Standing.NOT_YET
        write("pjoprov", "33", COORDINATING, writer, "2026-Q4", text="  \n ")
        write("pjoprov", "33", 1, writer, "2026-Q4", declared=True)  # a declaration is no account
        write("pjoprov", "33", 2, writer, "2026-Q3")  # another quarter
        ledger = ledger_of("pjoprov", "33", "2026-Q4")
        assert row_of(ledger, COORDINATING).standing == Standing.NOT_YET
        assert row_of(ledger, 1).standing == Standing.NOT_YET
        assert row_of(ledger, 2).standing == Standing.NOT_YET
        DutyAccount.objects.filter(duty__number=COORDINATING, period="2026-Q4").update(text="Rapat dengan KMW.")
        coordinating = row_of(ledger_of("pjoprov", "33", "2026-Q4"), COORDINATING)
    assert coordinating.standing == Standing.DONE
    assert coordinating.account.text == "Rapat dengan KMW."
    assert coordinating.written


# Occurrences (incidental duties) ---------------------------------------------------

GUIDING = 8  # PjOProv-8, incidental


def test_occurrences_in_the_quarter_a_declaration_or_silence(db):
    writer = personas.make("member")
    with at(2026, 11, 16, 10):
        silent = row_of(ledger_of("pjoprov", "33", "2026-Q4"), GUIDING)
        assert silent.source == Source.OCCURRENCES
        assert silent.standing == Standing.NOT_YET and not silent.accounted

        occur("pjoprov", "33", GUIDING, writer, datetime.date(2026, 9, 30))  # Q3
        assert row_of(ledger_of("pjoprov", "33", "2026-Q4"), GUIDING).standing == Standing.NOT_YET
        assert row_of(ledger_of("pjoprov", "33", "2026-Q3"), GUIDING).standing == Standing.DONE

        write("pjoprov", "33", GUIDING, writer, "2026-Q4", declared=True)
        assert row_of(ledger_of("pjoprov", "33", "2026-Q4"), GUIDING).standing == Standing.NONE

        occur("pjoprov", "33", GUIDING, writer, datetime.date(2026, 10, 1))
        happened = row_of(ledger_of("pjoprov", "33", "2026-Q4"), GUIDING)
    assert happened.standing == Standing.DONE
    assert [e.note for e in happened.evidence] == ["2026-10-01"]
    assert [o.occurred_on for o in happened.occurrences] == [datetime.date(2026, 10, 1)]
    # Another province's actor of the same kind sees none of it.
    assert row_of(ledger_of("pjoprov", "34", "2026-Q4"), GUIDING).standing == Standing.NOT_YET


# The accounts' due date and Ledger.overdue ---------------------------------------


def test_accounts_are_due_with_the_quarterly_reports_deadline_on_the_provinces_next_working_day(db):
    # 30 September + 10 days = Saturday 10 October 2026: due Monday the 12th.
    assert ledger_of("pjoprov", "33", "2026-Q3").due_date == datetime.date(2026, 10, 12)
    # A day off in Jawa Tengah alone moves its date only.
    NonWorkingDay.objects.create(
        date=datetime.date(2026, 10, 12), name="Libur daerah", province=actor_of("pjoprov", "33").province
    )
    assert ledger_of("pjoprov", "33", "2026-Q3").due_date == datetime.date(2026, 10, 13)
    assert ledger_of("pjoprov", "34", "2026-Q3").due_date == datetime.date(2026, 10, 12)
    # The deadline is the quarterly report type's.
    ReportType.objects.filter(period=ReportType.Period.QUARTERLY).update(deadline_days=20)
    assert ledger_of("pjoprov", "34", "2026-Q3").due_date == datetime.date(2026, 10, 20)


def test_a_ledger_is_overdue_past_the_due_date_while_a_duty_the_actor_writes_is_silent(db):
    writer = personas.make("member")
    due = datetime.date(2026, 10, 12)
    assert not ledger_of("pjoprov", "33", "2026-Q3", today=due).overdue
    assert ledger_of("pjoprov", "33", "2026-Q3", today=due + datetime.timedelta(days=1)).overdue
    for number in (1, 2, 3, 4):
        write("pjoprov", "33", number, writer, "2026-Q3")
    assert ledger_of("pjoprov", "33", "2026-Q3", today=datetime.date(2026, 10, 13)).overdue  # PjOProv-8 silent
    write("pjoprov", "33", GUIDING, writer, "2026-Q3", declared=True)
    late = ledger_of("pjoprov", "33", "2026-Q3", today=datetime.date(2026, 10, 13))
    # Derived duties (tasks, meetings, reports) still "belum" do not make the accounts overdue.
    assert row_of(late, REPORTING).standing == Standing.NOT_YET
    assert not late.overdue
    assert late.accounted == 5


# A fixed number of queries --------------------------------------------------------


def some_of_everything(writer):
    for code in ("33", "34", "91", "51"):
        write("pjoprov", code, COORDINATING, writer, "2026-Q4")
        write("kmw", code, 1, writer, "2026-Q4")
        occur("pjoprov", code, GUIDING, writer, datetime.date(2026, 10, 20))
        write("gubernur", code, APPOINTING, writer, "2026-Q4", declared=True)


@pytest.mark.parametrize("detail", [False, True])
def test_build_takes_the_same_number_of_queries_for_1_10_or_190_actors(db, django_assert_num_queries, detail):
    writer = personas.make("member")
    with at(2026, 11, 16, 10):
        create_scheduled_tasks(on=datetime.date(2026, 11, 16))
        create_report_slots(on=datetime.date(2026, 11, 16))
        some_of_everything(writer)
        period = quarter("2026-Q4")
        # The first actor has an account and an occurrence, as the others may:
        # with detail, the prefetches of the accounts' links run only when
        # there is an account to prefetch for.
        provincial = sorted(
            Actor.objects.provincial().select_related("province", "kind"),
            key=lambda a: (a.province.code != "33" or a.kind.code != "pjoprov", a.pk),
        )
        assert len(provincial) == 190
        assert (provincial[0].province.code, provincial[0].kind.code) == ("33", "pjoprov")
        with CaptureQueriesContext(connection) as one:
            assert len(build(provincial[:1], period, detail=detail)) == 1
        for count in (10, 190):
            with django_assert_num_queries(len(one)):
                ledgers = build(provincial[:count], period, detail=detail)
            assert len(ledgers) == count
    assert len(one) == (16 if detail else 11)
    assert build([], period) == {}


def test_standings_without_the_evidence_are_the_same(routine_meetings):
    """The coverage matrix asks for the standings only (evidence=False): the
    same standings as the ledger page's, with no evidence lines."""
    chair, meetings = routine_meetings
    hold(meetings[0], chair, approve_minutes=True)
    with at(2025, 4, 20, 10):
        actors = list(Actor.objects.provincial().filter(province__code="33").select_related("province", "kind"))
        full = build(actors, quarter("2025-Q1"), detail=True)
        bare = build(actors, quarter("2025-Q1"), evidence=False)
    assert any(row.evidence for ledger in full.values() for row in ledger.rows)
    for pk, ledger in full.items():
        assert [r.standing for r in bare[pk].rows] == [r.standing for r in ledger.rows]
        assert not any(r.evidence for r in bare[pk].rows)


def test_a_one_off_duty_without_period_or_due_date_counts_from_its_quarter_until_done(kmw_coordinator):
    """KMW 8 (sekali): its task has neither period nor due date."""
    with at(2026, 5, 4, 10):
        task = Task.objects.create(actor=actor_of("kmw"), duty=duty("kmw", 8), title="Membangun tim kerja")
        sync_grants([task])
    with at(2026, 8, 10, 10):
        # Not in the quarter before it was made; open in the ones after.
        assert row_of(ledger_of("kmw", "33", "2026-Q1"), 8).evidence == []
        q2 = row_of(ledger_of("kmw", "33", "2026-Q2"), 8)
        assert (q2.standing, [e.note for e in q2.evidence]) == (Standing.NOT_YET, ["belum selesai"])
        complete(task, kmw_coordinator)
        assert row_of(ledger_of("kmw", "33", "2026-Q3"), 8).standing == Standing.DONE
    with at(2026, 11, 10, 10):
        # Done once, it stays carried out.
        q4 = row_of(ledger_of("kmw", "33", "2026-Q4"), 8)
        assert q4.standing == Standing.DONE
        assert q4.evidence[0].note == "selesai sebelumnya, 2026-08-10"


def test_gubernur_2_is_carried_out_by_an_occurrence_too(db):
    """An appointment the Governor's office records as an occurrence (no
    decree in the app) carries out Gubernur 2 as a decree would."""
    office = member("gubernur", "33", username="gub-occ")
    with at(2026, 11, 20, 10):
        occur("gubernur", "33", 2, office, datetime.date(2026, 11, 3))
        gubernur_2 = row_of(ledger_of("gubernur", "33", "2026-Q4"), 2)
    assert gubernur_2.source == Source.DECREES
    assert gubernur_2.standing == Standing.DONE
    assert [e.note for e in gubernur_2.evidence] == ["2026-11-03"]


def test_a_decree_for_another_seat_than_the_tk_does_not_carry_out_gubernur_2(db):
    """Gubernur 2 appoints the TK's chair and members; a decree appointing
    the PjOProv is not that."""
    proposer = personas.make("member")
    governor = personas.make("gubernur")
    with at(2026, 11, 16, 10):
        seat = Position.objects.get(code="pjoprov")
        approve(submitted(proposer, target="pjoprov", position=seat), governor)
        row = row_of(ledger_of("gubernur", "33", "2026-Q4"), APPOINTING)
    assert row.standing == Standing.NOT_YET and row.evidence == []
