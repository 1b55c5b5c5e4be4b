"""The issue's "done when": in the demo, after the reconcile and one quarter's
work, each of the 33 duties of Jawa Tengah's actors shows a standing with its
evidence, or an account or a "tidak ada kejadian" written by its actor.

The quarter is Q3 2026 with the clock pinned through it: the demo accounts
(actors.demo), the reconcile (home.reconcile.run_schedule) on the days a
province's work needs it, then the quarter's work through the pages'
services: scheduled tasks completed, meetings held with approved minutes,
the monthly and quarterly reports sent, a decree recorded, and the ledger's
own words written by seed_demo (accounts of the ongoing duties, an
occurrence, "tidak ada kejadian")."""

import datetime
import zoneinfo

import pytest
import time_machine

from actors.demo import create_demo_accounts
from actors.models import Actor, User
from duties import services as duty_services
from duties.models import Duty, Task
from home.management.commands.seed_demo import LEDGER_WRITERS, seed_demo_ledger
from home.reconcile import run_schedule
from ledger import services as ledger_services
from ledger.models import DutyAccount
from ledger.standing import Source, Standing, build, quarter
from meetings import services as meeting_services
from meetings.models import Meeting
from reports import services as report_services
from reports.models import Report
from tests import personas
from tests.actors.conftest import approve, submitted
from tests.factories import member
from tests.reports.conftest import content

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
Q3 = quarter("2026-Q3")


def at(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), JAKARTA), tick=False)


def d(month, day):
    return datetime.date(2026, month, day)


def jateng_actors():
    return list(Actor.objects.provincial().filter(province__code="33").select_related("province", "kind"))


def writer(actor):
    return User.objects.get(username=LEDGER_WRITERS[actor.kind.code])


def reconcile(day):
    with at(day, hour=7):
        run_schedule(on=day)


def send_report(type_code, period, user, day):
    report = Report.objects.select_related("report_type", "actor__kind", "province").get(
        report_type__code=type_code, province__code="33", period=period
    )
    values = content(report)
    values["signature"]["sign_date"] = day
    report_services.do_save_draft(user=user, report=report, **values)
    report_services.do_submit_report(user=user, report=report)


def hold_with_minutes(meeting):
    chair = meeting.chair
    assert chair is not None, f"{meeting} has no chair"
    starts = meeting.starts_at
    meeting_services.do_hold_meeting(
        user=chair, meeting=meeting, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    item = meeting.agenda.first()
    meeting_services.do_save_minutes(
        user=chair, meeting=meeting, notes="", entries={item.pk: ("Penyaluran BLM", "Dipercepat")}
    )
    meeting_services.do_approve_minutes(user=chair, meeting=meeting)


def complete_tasks(actors):
    """Every open task of a task duty in the quarter, completed by a member of its actor."""
    for actor in actors:
        user = writer(actor)
        for task in ledger_services.quarter_tasks(actor, Q3).filter(status__in=Task.OPEN_STATUSES):
            if ledger_services.duty_source(task.duty) != Source.TASKS:
                continue
            duty_services.do_update_task_status(
                user=user, task=task, status=Task.Status.DONE, note="Selesai; bukti dalam laporan bulanan."
            )


@pytest.fixture
def quarter_of_work(db):
    with at(d(7, 1)):
        create_demo_accounts()
        # The TK's head chairs its quarterly meeting (the demo's TK account is its secretary).
        member("tk-provinsi", "33", position="ketua", username="tk-ketua")
    for day in (d(7, 1), d(7, 15), d(8, 3), d(8, 17), d(9, 1), d(9, 15), d(10, 1)):
        reconcile(day)
    actors = jateng_actors()
    by_kind = {a.kind.code: a for a in actors}

    # Reports: each month's as the next begins, the quarter's after it ends.
    with at(d(8, 3)):
        send_report("pjoprov-bulanan", "2026-07", writer(by_kind["pjoprov"]), d(8, 3))
        send_report("kmw-bulanan", "2026-07", writer(by_kind["kmw"]), d(8, 3))
    with at(d(9, 1)):
        send_report("pjoprov-bulanan", "2026-08", writer(by_kind["pjoprov"]), d(9, 1))
        send_report("kmw-bulanan", "2026-08", writer(by_kind["kmw"]), d(9, 1))

    # A decree recorded in the quarter: the Governor's office appoints a TK member (Gubernur 2).
    with at(d(9, 15)):
        approve(submitted(personas.make("member")), personas.make("gubernur"))

    with at(d(10, 2)):
        # Meetings of the quarter held, their minutes approved by the chair.
        for meeting in Meeting.objects.filter(
            actor__in=actors, period__in=["2026-07", "2026-08", "2026-09", "2026-Q3"]
        ).select_related("chair"):
            hold_with_minutes(meeting)
        # KMW 8 is done once: the KMW records it as a task of the quarter and completes it.
        kmw = by_kind["kmw"]
        duty_services.do_create_task(
            user=writer(kmw),
            actor=kmw,
            duty=Duty.objects.get(kind=kmw.kind, number=8),
            title="Membentuk tim kerja konsultan kabupaten",
            due_date=d(9, 30),
        )
        complete_tasks(actors)
        send_report("pjoprov-bulanan", "2026-09", writer(by_kind["pjoprov"]), d(10, 2))
        send_report("kmw-bulanan", "2026-09", writer(by_kind["kmw"]), d(10, 2))

    with at(d(10, 5)):
        reconcile(d(10, 5))
        # The TK's quarterly report with its assessment table (TK 5 and TK 7).
        send_report("tk-triwulan", "2026-Q3", writer(by_kind["tk-provinsi"]), d(10, 5))
        # The ledger's own words, as `make demo` writes them for last quarter.
        seed_demo_ledger(d(10, 5))
    return actors


def test_every_one_of_the_33_duties_of_jawa_tengah_is_accounted_for(quarter_of_work):
    with at(d(10, 6)):
        ledgers = build(quarter_of_work, Q3)
    rows = [row for ledger in ledgers.values() for row in ledger.rows]
    assert len(rows) == 33
    missing = [
        f"{row.duty.ref} ({row.source}): {row.standing} {[(e.label, e.note) for e in row.evidence]}"
        for row in rows
        if row.standing not in Standing.ACCOUNTED
    ]
    assert not missing, "not accounted for:\n" + "\n".join(missing)
    for row in rows:
        if row.source in (Source.ACCOUNT,):
            assert (
                row.account
                and row.account.text
                and row.account.written_by.username == LEDGER_WRITERS[row.duty.kind.code]
            ), row.duty.ref
        elif row.source == Source.OCCURRENCES and row.standing == Standing.NONE:
            assert row.account.kind == DutyAccount.Kind.NO_OCCURRENCE, row.duty.ref
        else:
            # A derived standing shows its evidence.
            assert row.evidence, row.duty.ref
    # Every derivation is there: a decree for Gubernur 2, an occurrence for KMW 6, "none" for TK 6 and PjOProv 8.
    by_ref = {row.duty.ref: row for row in rows}
    assert {r.source for r in rows} == {
        Source.TASKS,
        Source.MEETINGS,
        Source.REPORTS,
        Source.DECREES,
        Source.ASSESSMENT,
        Source.ACCOUNT,
        Source.OCCURRENCES,
    }
    assert by_ref["Gubernur-2"].standing == Standing.DONE
    assert by_ref["KMW Provinsi-6"].standing == Standing.DONE and by_ref["KMW Provinsi-6"].occurrences
    assert by_ref["PjOProv-8"].standing == Standing.NONE
    assert all(ledger.accounted == len(ledger.rows) and not ledger.overdue for ledger in ledgers.values())


def test_the_demo_ledger_is_written_once(quarter_of_work):
    with at(d(10, 6)):
        assert seed_demo_ledger(d(10, 6)) == 0
    assert DutyAccount.objects.filter(period="2026-Q3", actor__province__code="33").count() == 12 + 2
