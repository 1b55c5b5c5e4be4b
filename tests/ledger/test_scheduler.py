"""The duty ledger is reminded and flagged overdue like a report
(ledger.scheduler.remind_ledgers, a step of home.reconcile.run_schedule): the
quarter's written duties still silent are reminded to the actor 7, 3 and 1
working days before the accounts' due date; after it, the actor and its
supervisor are told once; nothing when everything is accounted for.

The clock is pinned: Q3 2026 ends on Wednesday 30 September, its accounts are
due with the quarterly report on Monday 12 October (10 days after, moved to
the next working day). Working days left: 1 October 7, 7 October 3,
9 October 1."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from core.models import Notification, NotificationKind
from duties.calendar import WorkingCalendar
from duties.models import Duty
from home.reconcile import run_schedule
from ledger import services as ledger_services
from ledger.scheduler import remind_ledgers
from ledger.standing import account_deadline_days, due_date_of, quarter
from tests.factories import member

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
Q3 = quarter("2026-Q3")


def on(day):
    """The clock at 10.00 WIB on `day` (the same date in WITA and WIT)."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), JAKARTA), tick=False)


def d(month, day):
    return datetime.date(2026, month, day)


def actor_of(kind):
    return Actor.objects.select_related("province", "kind").get(kind__code=kind, province__code="33")


@pytest.fixture
def people(db):
    return {
        "pjoprov": member("pjoprov", "33", username="pj-jateng"),
        "tk": member("tk-provinsi", "33", username="tk-jateng"),
        "kmw": member("kmw", "33", username="kmw-jateng"),
    }


def keys(user):
    return set(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def ledger_keys(user, period="2026-Q3"):
    return {k for k in keys(user) if k.startswith("ledger-") and period in k}


def test_the_due_date_is_the_quarterly_reports(db):
    province = actor_of("pjoprov").province
    assert account_deadline_days() == 10
    assert due_date_of(Q3, province, 10, WorkingCalendar()) == d(10, 12)


def test_reminders_7_3_1_working_days_before_then_overdue_to_the_actor_and_its_supervisor(people):
    pj, tk, kmw = actor_of("pjoprov"), actor_of("tk-provinsi"), actor_of("kmw")
    with on(d(9, 30)):  # 8 working days left: nothing yet
        remind_ledgers()
    assert ledger_keys(people["pjoprov"]) == set()

    with on(d(10, 1)):
        reminded, flagged = remind_ledgers()
    assert flagged == 0 and reminded == 3  # the three actors with members
    assert ledger_keys(people["pjoprov"]) == {f"ledger-reminder:{pj.pk}:2026-Q3:7"}
    note = Notification.objects.get(recipient=people["pjoprov"], key=f"ledger-reminder:{pj.pk}:2026-Q3:7")
    assert note.kind == NotificationKind.TASK
    assert note.subject == "Pengingat: buku tugas Triwulan III 2026 jatuh tempo dalam 7 hari kerja"
    assert "12 Oktober 2026" in note.body and "PjOProv-3" in note.body and "PjOProv-8" in note.body
    assert "PjOProv-5" not in note.body  # a meeting duty: derived, never written
    assert note.url == f"/buku-tugas/{pj.pk}/2026-Q3/"

    # The same day again, and the next (still level 7): nothing new.
    with on(d(10, 1)):
        assert remind_ledgers() == (0, 0)
    with on(d(10, 2)):
        assert remind_ledgers() == (0, 0)

    with on(d(10, 7)):
        assert remind_ledgers() == (3, 0)
    with on(d(10, 9)):
        assert remind_ledgers() == (3, 0)
    with on(d(10, 12)):  # the due date itself: neither reminded nor late
        assert remind_ledgers() == (0, 0)
    assert ledger_keys(people["pjoprov"]) == {f"ledger-reminder:{pj.pk}:2026-Q3:{n}" for n in (7, 3, 1)}

    with on(d(10, 13)):
        reminded, flagged = remind_ledgers()
    assert reminded == 0 and flagged >= 3
    # The actor and its supervisor (PjOProv and KMW -> TK Provinsi; TK -> the Governor's office).
    assert f"ledger-overdue:{pj.pk}:2026-Q3" in keys(people["pjoprov"])
    assert f"ledger-overdue:{kmw.pk}:2026-Q3" in keys(people["kmw"])
    assert {k for k in ledger_keys(people["tk"]) if k.startswith("ledger-overdue")} == {
        f"ledger-overdue:{pj.pk}:2026-Q3",
        f"ledger-overdue:{kmw.pk}:2026-Q3",
        f"ledger-overdue:{tk.pk}:2026-Q3",
    }
    late = Notification.objects.get(recipient=people["tk"], key=f"ledger-overdue:{pj.pk}:2026-Q3")
    assert late.subject == f"Buku tugas terlambat: {pj.name}, Triwulan III 2026"
    assert "12 Oktober 2026" in late.body and "PjOProv-1" in late.body

    # Once per actor and quarter, whatever the number of runs.
    q3 = Notification.objects.filter(key__startswith="ledger-", key__contains=":2026-Q3")
    before = set(q3.values_list("pk", flat=True))
    for day in (d(10, 13), d(10, 14), d(11, 20), d(12, 31)):
        with on(day):
            remind_ledgers()
    assert set(q3.values_list("pk", flat=True)) == before
    # The next quarter has its own: 7 working days before its due date (Monday 11 January 2027).
    assert ledger_keys(people["pjoprov"], "2026-Q4") == {f"ledger-reminder:{pj.pk}:2026-Q4:7"}


def test_the_governors_office_is_told_when_the_tk_is_late(people):
    gubernur = member("gubernur", "33", username="gub-jateng")
    tk = actor_of("tk-provinsi")
    with on(d(10, 13)):
        remind_ledgers()
    assert {k for k in ledger_keys(gubernur) if k.startswith("ledger-overdue")} == {
        f"ledger-overdue:{tk.pk}:2026-Q3",
        f"ledger-overdue:{actor_of('tkpkd').pk}:2026-Q3",
        f"ledger-overdue:{actor_of('gubernur').pk}:2026-Q3",
    }


def write_everything(user, kind):
    """Account for every duty of `kind` the actor writes in Q3: accounts for
    the ongoing ones, "tidak ada kejadian" for the incidental ones."""
    actor = actor_of(kind)
    for duty in Duty.objects.filter(kind=actor.kind):
        if duty.recurrence == Duty.Recurrence.CONTINUOUS:
            ledger_services.do_save_account(
                user=user, actor=actor, duty=duty, period=Q3, text=f"Uraian {duty.ref} triwulan III."
            )
        elif duty.recurrence == Duty.Recurrence.ON_EVENT:
            ledger_services.do_declare_no_occurrence(user=user, actor=actor, duty=duty, period=Q3)


def test_nothing_when_every_written_duty_is_accounted_for(people):
    pj = actor_of("pjoprov")
    with on(d(10, 1)):
        write_everything(people["pjoprov"], "pjoprov")
        remind_ledgers()
    assert ledger_keys(people["pjoprov"]) == set()
    assert ledger_keys(people["kmw"]) == {f"ledger-reminder:{actor_of('kmw').pk}:2026-Q3:7"}
    with on(d(10, 13)):
        remind_ledgers()
    assert ledger_keys(people["pjoprov"]) == set()
    assert f"ledger-overdue:{pj.pk}:2026-Q3" not in keys(people["tk"])


def test_a_reminder_stops_once_the_last_silent_duty_is_written(people):
    with on(d(10, 1)):
        remind_ledgers()
    with on(d(10, 6)):
        write_everything(people["pjoprov"], "pjoprov")
    with on(d(10, 7)):
        remind_ledgers()
    pj = actor_of("pjoprov")
    assert ledger_keys(people["pjoprov"]) == {f"ledger-reminder:{pj.pk}:2026-Q3:7"}


def test_the_reconcile_runs_the_step(people):
    with on(d(10, 1)):
        result = run_schedule()
    assert result["ledger_reminders"] >= 3 and result["ledgers_overdue"] == 0
    assert ledger_keys(people["pjoprov"]) == {f"ledger-reminder:{actor_of('pjoprov').pk}:2026-Q3:7"}
    with on(d(10, 1)):
        result = run_schedule()
    assert (result["ledger_reminders"], result["ledgers_overdue"]) == (0, 0)


def test_the_step_takes_a_fixed_number_of_statements(people):
    """However many actors have members to tell (bulk: one build per quarter,
    members in one query, notifications in one notify_many)."""
    with on(d(10, 13)), CaptureQueriesContext(connection) as few:
        remind_ledgers()
    for kind in ("gubernur", "tkpkd"):
        member(kind, "33")
    for kind in ("pjoprov", "kmw", "tk-provinsi"):
        member(kind, "34")
    with on(d(10, 13)), CaptureQueriesContext(connection) as many:
        remind_ledgers()
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_nothing_for_a_quarter_before_the_ledgers_first(people, settings):
    """A deployment starting the ledger in 2026-Q4: the first reconcile does
    not flag every actor for the quarter just past."""
    settings.LEDGER_FIRST_QUARTER = "2026-Q4"
    with on(d(10, 13)):
        remind_ledgers()
    assert ledger_keys(people["pjoprov"]) == set()
    settings.LEDGER_FIRST_QUARTER = "2026-Q3"
    with on(d(10, 13)):
        remind_ledgers()
    assert f"ledger-overdue:{actor_of('pjoprov').pk}:2026-Q3" in keys(people["pjoprov"])
