"""The reconcile: idempotent, one task per (actor, duty, period), due dates on
working days in each province's own calendar."""

import datetime

import pytest
import time_machine
from django.db import connection

from actors.models import Actor, Province
from duties.calendar import WorkingCalendar
from duties.models import Duty, NonWorkingDay, Task, TaskGroupObjectPermission
from home.reconcile import run_schedule
from tests.concurrency import race
from tests.statements import statements

pytestmark = pytest.mark.django_db

D = datetime.date


def scheduled_count():
    return Task.objects.filter(origin=Task.Origin.SCHEDULE).count()


def per_period_duplicates():
    from django.db.models import Count

    return (
        Task.objects.filter(origin=Task.Origin.SCHEDULE)
        .values("actor", "duty", "period")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )


def expected_for_one_period():
    provinces = Province.objects.count()
    scheduled_duties = Duty.objects.filter(recurrence__in=["bulanan", "triwulanan", "tahunan", "sekali"]).count()
    return provinces * scheduled_duties


def test_running_twice_for_the_same_date_creates_nothing_the_second_time():
    first = run_schedule(on=D(2026, 10, 12))
    assert first["tasks_created"] == expected_for_one_period() == 38 * 17
    grants = TaskGroupObjectPermission.objects.count()
    second = run_schedule(on=D(2026, 10, 12))
    assert second["tasks_created"] == 0
    assert scheduled_count() == expected_for_one_period()
    assert TaskGroupObjectPermission.objects.count() == grants


def test_a_month_boundary_creates_exactly_one_task_per_actor_duty_and_period():
    for day in range(25, 32):
        run_schedule(on=D(2026, 10, day))
    for day in range(1, 6):
        run_schedule(on=D(2026, 11, day))
    monthly = Duty.objects.filter(recurrence="bulanan").count()
    # October created everything once; November adds only the monthly duties.
    assert scheduled_count() == expected_for_one_period() + 38 * monthly
    assert per_period_duplicates() == 0
    assert set(Task.objects.filter(duty__recurrence="bulanan").values_list("period", flat=True)) == {
        "2026-10",
        "2026-11",
    }


def test_a_catch_up_after_a_week_of_downtime_creates_only_what_is_missing():
    run_schedule(on=D(2026, 12, 24))
    created = run_schedule(on=D(2026, 12, 31))["tasks_created"]
    assert created == 0
    after_downtime = run_schedule(on=D(2027, 1, 7))["tasks_created"]
    # January: new month, new quarter and new year.
    recurring = Duty.objects.filter(recurrence__in=["bulanan", "triwulanan", "tahunan"]).count()
    assert after_downtime == 38 * recurring
    assert per_period_duplicates() == 0


def test_a_due_date_on_a_weekend_and_holiday_moves_to_the_next_working_day():
    # PjOProv's monthly meeting duty is due at the end of its month. May 2026
    # ends on Sunday 31 May (Waisak), and Monday 1 June is Hari Lahir Pancasila.
    run_schedule(on=D(2026, 5, 10))
    task = Task.objects.get(actor__kind__code="pjoprov", actor__province__code="33", duty__number=5, period="2026-05")
    assert task.period_end == D(2026, 5, 31)
    assert task.due_date == D(2026, 6, 2)
    assert WorkingCalendar().holiday_name(D(2026, 6, 1)) is not None


def test_the_reporting_duties_are_due_ten_days_after_the_period_moved_to_a_working_day():
    run_schedule(on=D(2025, 11, 10))
    task = Task.objects.get(actor__kind__code="tk-provinsi", actor__province__code="33", duty__number=5)
    assert task.period == "2025-Q4"
    # 31 Dec 2025 + 10 days = Saturday 10 Jan 2026 -> Monday 12 Jan.
    assert task.due_date == D(2026, 1, 12)


def test_an_extra_day_off_from_the_admin_table_moves_due_dates_in_that_province_only():
    province = Province.objects.get(code="33")
    NonWorkingDay.objects.create(date=D(2026, 9, 30), name="Libur daerah", province=province)
    run_schedule(on=D(2026, 9, 10))
    due = dict(
        Task.objects.filter(duty__kind__code="pjoprov", duty__number=5, period="2026-09").values_list(
            "actor__province__code", "due_date"
        )
    )
    assert due["33"] == D(2026, 10, 1)
    assert due["34"] == D(2026, 9, 30)


def test_tasks_are_created_in_each_provinces_own_time_zone():
    # 23:30 WIB on 30 Nov is 01:30 WIT on 1 Dec: Papua is already in December.
    with time_machine.travel(datetime.datetime(2026, 11, 30, 16, 30, tzinfo=datetime.UTC), tick=False):
        run_schedule()
    periods = dict(
        Task.objects.filter(duty__kind__code="pjoprov", duty__number=5).values_list("actor__province__code", "period")
    )
    assert periods["33"] == "2026-11"
    assert periods["91"] == "2026-12"


def test_overdue_tasks_are_flagged_once_and_the_people_responsible_told_once(pjoprov_member):
    from core.models import Notification

    run_schedule(on=D(2026, 10, 12))
    task = Task.objects.get(actor__kind__code="pjoprov", actor__province__code="33", duty__number=5)
    assert task.overdue_since is None
    result = run_schedule(on=D(2026, 11, 3))
    task.refresh_from_db()
    assert task.overdue_since == D(2026, 11, 3)
    assert result["tasks_overdue"] >= 1
    assert Notification.objects.filter(recipient=pjoprov_member, key=f"task-overdue:{task.pk}").count() == 1
    run_schedule(on=D(2026, 11, 4))
    task.refresh_from_db()
    assert task.overdue_since == D(2026, 11, 3)
    assert Notification.objects.filter(recipient=pjoprov_member, key=f"task-overdue:{task.pk}").count() == 1


def test_every_scheduled_task_is_traceable_to_its_seed_line():
    run_schedule(on=D(2026, 10, 12))
    task = Task.objects.filter(origin=Task.Origin.SCHEDULE).select_related("duty__kind").first()
    assert task.duty.text in task.label
    assert task.duty.ref.startswith(task.duty.kind.short_name)


def test_the_run_schedule_command_takes_a_date_and_refuses_a_bad_one():
    from django.core.management import CommandError, call_command

    call_command("run_schedule", "--date", "2026-10-12")
    assert scheduled_count() == expected_for_one_period()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_schedule", "--date", "12/10/2026")


# serialized_rollback: a transactional test ends by emptying every table,
# reference data included; restoring it keeps the next transactional test
# (tests/security/test_faults.py) working, and inhibits the post-migrate rows
# that would clash with the restored ones.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reconciles_at_the_same_time_create_each_task_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    _results, errors = race(lambda: run_schedule(on=D(2026, 10, 12)))
    assert errors == []
    assert scheduled_count() == expected_for_one_period()
    assert per_period_duplicates() == 0
    # Every task has its owner grants exactly once.
    assert (
        TaskGroupObjectPermission.objects.filter(group__in=Actor.objects.values("group")).count()
        >= 3 * scheduled_count()
    )


def test_flagging_200_overdue_tasks_takes_the_statements_of_flagging_50():
    """The overdue notices go out in bulk (core.notifications.notify_many): the
    statements do not grow with the tasks, and each task tells its people once."""

    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from core.models import Notification
    from duties.scheduler import mark_overdue
    from tests.factories import member

    for province in ("33", "51", "91"):  # WIB, WITA, WIT
        for kind in ("pjoprov", "kmw", "tk-provinsi"):
            member(kind, province)
    run_schedule(on=D(2026, 10, 12))
    ordered = sorted(
        Task.objects.filter(origin=Task.Origin.SCHEDULE).values_list("pk", "actor__province__code"),
        key=lambda row: (row[1] not in ("33", "51", "91"), row[1], row[0]),
    )

    def sweep(n):
        late = [pk for pk, _code in ordered[:n]]
        with transaction.atomic():
            Task.objects.filter(pk__in=late).update(due_date=D(2026, 11, 1))
            Task.objects.exclude(pk__in=late).update(due_date=D(2027, 1, 1))
            with CaptureQueriesContext(connection) as captured:
                flagged = mark_overdue(on=D(2026, 11, 3))
            keys = set(Notification.objects.filter(key__startswith="task-overdue:").values_list("key", flat=True))
            rows = Notification.objects.filter(key__startswith="task-overdue:").count()
            again = mark_overdue(on=D(2026, 11, 4))
            transaction.set_rollback(True)
        return flagged, statements(captured.captured_queries), keys, rows, again

    flagged_50, count_50, keys_50, rows_50, again_50 = sweep(50)
    flagged_200, count_200, keys_200, rows_200, again_200 = sweep(200)
    assert (flagged_50, flagged_200, again_50, again_200) == (50, 200, 0, 0)
    assert count_200 == count_50
    assert keys_50 and keys_50 <= keys_200
    assert rows_200 >= rows_50 >= len(keys_50)
