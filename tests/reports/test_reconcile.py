import datetime

import pytest
import time_machine

from actors.models import Province
from core.models import Notification
from duties.calendar import WorkingCalendar
from duties.models import NonWorkingDay
from home.reconcile import run_schedule
from reports import services
from reports.models import Report, ReportType
from reports.scheduler import (
    create_report_slots,
    mark_reports_overdue,
    remind_returned_reports,
    send_report_reminders,
)
from tests.factories import member
from tests.reports.conftest import DAY, content, report_of

pytestmark = pytest.mark.django_db

PERIODIC = 3  # TK quarterly, PjOProv monthly, KMW monthly


def keys():
    return list(Report.objects.values_list("report_type__code", "province__code", "period"))


def test_the_reconcile_makes_the_current_and_previous_period_report_of_every_province_and_type():
    created = create_report_slots(on=DAY)
    assert created == 38 * PERIODIC * 2
    assert len(keys()) == len(set(keys())) == created
    assert set(Report.objects.filter(report_type__code="tk-triwulan").values_list("period", flat=True)) == {
        "2026-Q3",
        "2026-Q4",
    }
    assert set(Report.objects.filter(report_type__code="kmw-bulanan").values_list("period", flat=True)) == {
        "2026-09",
        "2026-10",
    }
    assert not Report.objects.filter(report_type__code="insidental").exists()


def test_re_runs_and_the_quarter_boundary_create_each_report_exactly_once():
    create_report_slots(on=datetime.date(2026, 12, 30))
    assert create_report_slots(on=datetime.date(2026, 12, 31)) == 0
    crossed = create_report_slots(on=datetime.date(2027, 1, 1))
    # New quarter (TK) and new month (PjOProv, KMW) for 38 provinces each.
    assert crossed == 38 * PERIODIC
    assert create_report_slots(on=datetime.date(2027, 1, 1)) == 0
    assert len(keys()) == len(set(keys()))
    assert Report.objects.filter(report_type__code="tk-triwulan", period="2026-Q4").count() == 38
    assert Report.objects.filter(report_type__code="tk-triwulan", period="2027-Q1").count() == 38


def test_the_full_reconcile_reports_its_report_steps_and_is_idempotent():
    first = run_schedule(on=DAY)
    assert first["reports_created"] == 38 * PERIODIC * 2
    again = run_schedule(on=DAY)
    assert (again["reports_created"], again["report_reminders"], again["reports_overdue"]) == (0, 0, 0)


def test_due_dates_are_the_tenth_day_after_the_period_moved_to_a_working_day():
    create_report_slots(on=DAY)
    calendar = WorkingCalendar()
    for report in Report.objects.select_related("province"):
        assert calendar.is_working_day(report.due_date, report.province), report
        assert report.due_date >= report.period_end + datetime.timedelta(days=10)
    # 10 October 2026 is a Saturday: the Q3 report is due on Monday the 12th.
    assert report_of("tk-triwulan").due_date == datetime.date(2026, 10, 12)


def test_a_provincial_day_off_moves_only_that_provinces_due_date():
    NonWorkingDay.objects.create(
        date=datetime.date(2026, 10, 12), name="Libur daerah", province=Province.objects.get(code="33")
    )
    create_report_slots(on=DAY)
    assert report_of("tk-triwulan", "33").due_date == datetime.date(2026, 10, 13)
    assert report_of("tk-triwulan", "34").due_date == datetime.date(2026, 10, 12)


def test_an_admin_can_change_the_deadline_rule_as_data():
    ReportType.objects.filter(code="tk-triwulan").update(deadline_days=20)
    create_report_slots(on=DAY)
    assert report_of("tk-triwulan").due_date == datetime.date(2026, 10, 20)


def test_an_inactive_type_gets_no_new_reports():
    ReportType.objects.filter(code="kmw-bulanan").update(active=False)
    create_report_slots(on=DAY)
    assert not Report.objects.filter(report_type__code="kmw-bulanan").exists()


def reminder_keys(user):
    return sorted(
        Notification.objects.filter(recipient=user, key__startswith="report-reminder").values_list("key", flat=True)
    )


def test_reminders_go_7_3_and_1_working_days_before_the_deadline_once_each():
    tk = member("tk-provinsi", "33")
    create_report_slots(on=DAY)
    report = report_of("tk-triwulan")
    # Due Monday 12 October: 5 working days left on the 5th (the 7-day reminder),
    # 3 on Wednesday the 7th, 1 on Friday the 9th.
    for day in (5, 5, 6, 7, 7, 8, 9, 9):
        send_report_reminders(on=datetime.date(2026, 10, day))
    assert reminder_keys(tk) == [f"report-reminder:{report.pk}:{n}" for n in (1, 3, 7)]


def test_no_reminder_for_a_submitted_report(clock):
    tk = member("tk-provinsi", "33")
    create_report_slots(on=DAY)
    report = report_of("tk-triwulan")
    services.do_save_draft(user=tk, report=report, **content(report))
    services.do_submit_report(user=tk, report=report)
    send_report_reminders(on=datetime.date(2026, 10, 9))
    assert reminder_keys(tk) == []


def test_an_overdue_report_is_flagged_once_and_the_writer_and_supervisor_are_told():
    tk = member("tk-provinsi", "33")
    governor = member("gubernur", "33")
    pjoprov = member("pjoprov", "33")
    other_province_tk = member("tk-provinsi", "34")
    create_report_slots(on=DAY)
    assert mark_reports_overdue(on=datetime.date(2026, 10, 12)) == 0  # the deadline day itself is not late
    flagged = mark_reports_overdue(on=datetime.date(2026, 10, 13))
    assert flagged == 38 * PERIODIC  # the Q3 / September reports
    assert mark_reports_overdue(on=datetime.date(2026, 10, 14)) == 0
    tk_report = report_of("tk-triwulan")
    pjo_report = report_of("pjoprov-bulanan", period="2026-09")
    assert tk_report.overdue_since == datetime.date(2026, 10, 13)

    def overdue_keys(user):
        return set(
            Notification.objects.filter(recipient=user, key__startswith="report-overdue").values_list("key", flat=True)
        )

    assert f"report-overdue:{tk_report.pk}" in overdue_keys(governor)  # TK late -> Governor's office
    assert f"report-overdue:{pjo_report.pk}" in overdue_keys(tk)  # PjOProv late -> TK
    assert f"report-overdue:{pjo_report.pk}" in overdue_keys(pjoprov)
    assert f"report-overdue:{tk_report.pk}" in overdue_keys(tk)
    assert not any(k.endswith(f":{tk_report.pk}") for k in overdue_keys(other_province_tk))


def test_a_report_swept_late_is_late_from_the_day_after_its_deadline():
    create_report_slots(on=DAY)
    assert mark_reports_overdue(on=datetime.date(2026, 10, 20)) == 38 * PERIODIC  # the reconcile was down a week
    assert report_of("tk-triwulan").overdue_since == datetime.date(2026, 10, 13)  # due Monday 12 October


def test_each_provinces_reminder_counts_the_working_days_from_its_own_date():
    papuan, javanese = member("tk-provinsi", "91"), member("tk-provinsi", "33")
    create_report_slots(on=DAY)
    papua_report, jateng_report = report_of("tk-triwulan", "91"), report_of("tk-triwulan")
    assert papua_report.due_date == jateng_report.due_date == datetime.date(2026, 10, 12)
    # 22.30 WIB on Thursday 8 October is 00.30 WIT on Friday 9 October.
    with time_machine.travel(datetime.datetime(2026, 10, 8, 15, 30, tzinfo=datetime.UTC), tick=False):
        send_report_reminders()
    assert f"report-reminder:{papua_report.pk}:1" in reminder_keys(papuan)
    assert f"report-reminder:{jateng_report.pk}:3" in reminder_keys(javanese)
    assert not {k for k in reminder_keys(papuan) + reminder_keys(javanese) if k.endswith(":7")}


def test_an_incidental_reports_evidence_offers_tasks_done_in_the_provinces_last_90_days():
    from duties import services as task_services
    from duties.models import Duty, Task
    from reports.forms import ReportDraftForm
    from tests.factories import actor

    wit = datetime.timezone(datetime.timedelta(hours=9))
    with time_machine.travel(datetime.datetime(2026, 9, 1, 3, tzinfo=datetime.UTC), tick=False):
        papuan = member("tk-provinsi", "91")
        tk = actor("tk-provinsi", "91")
        report = services.do_create_incidental_report(user=papuan, actor=tk, title="Banjir di Kabupaten Jayapura")
        duty = Duty.objects.filter(kind__code="tk-provinsi").first()
        done = {
            name: task_services.do_create_task(user=papuan, actor=tk, duty=duty, title=name, due_date=None)
            for name in ("day 90", "day 91")
        }
    # 00.30 WIT on 1 January 2027: 90 days back is 3 October in Papua.
    Task.objects.filter(pk=done["day 90"].pk).update(
        status=Task.Status.DONE, completed_at=datetime.datetime(2026, 10, 3, 0, 30, tzinfo=wit)
    )
    Task.objects.filter(pk=done["day 91"].pk).update(
        status=Task.Status.DONE, completed_at=datetime.datetime(2026, 10, 2, 23, 30, tzinfo=wit)
    )
    with time_machine.travel(datetime.datetime(2026, 12, 31, 15, 30, tzinfo=datetime.UTC), tick=False):
        form = ReportDraftForm(report=report, user=papuan, sections=list(report.report_type.sections.all()))
        offered = set(form.fields["evidence_tasks"].queryset.values_list("title", flat=True))
    assert "day 90" in offered and "day 91" not in offered


# Reports returned for revision are chased ------------------------------------------


def returned_keys(user):
    return sorted(
        Notification.objects.filter(recipient=user, key__startswith="report-returned-reminder").values_list(
            "key", flat=True
        )
    )


@pytest.fixture
def returned(clock, settings):
    """The TK Q3 report, submitted and returned by the Governor's office on
    Monday 5 October 2026 (the clock); N = 3 working days."""
    settings.REPORT_RETURN_REMINDER_WORKING_DAYS = 3
    tk, governor = member("tk-provinsi", "33"), member("gubernur", "33")
    create_report_slots(on=DAY)
    report = report_of("tk-triwulan")
    services.do_save_draft(user=tk, report=report, **content(report))
    services.do_submit_report(user=tk, report=report)
    services.do_review_report(
        user=governor, report=report, decision="dikembalikan", section_reasons={"kemajuan": "Angka belum lengkap."}
    )
    return report, tk, governor


def test_a_returned_report_reminds_the_writer_after_n_working_days_and_the_supervisor_after_2n(returned):
    report, tk, governor = returned
    calendar = WorkingCalendar()
    province = report.province
    day_n = calendar.add_working_days(DAY, 3, province)  # Thursday 8 October
    day_2n = calendar.add_working_days(DAY, 6, province)  # Tuesday 13 October
    writer_key = f"report-returned-reminder:{report.pk}:v1:writer"
    supervisor_key = f"report-returned-reminder:{report.pk}:v1:supervisor"
    on = DAY
    while on < day_n:  # working days 1..N-1 and the weekend: nothing
        assert remind_returned_reports(on=on) == 0, on
        on += datetime.timedelta(days=1)
    assert returned_keys(tk) == returned_keys(governor) == []
    assert remind_returned_reports(on=day_n) == 1
    assert returned_keys(tk) == [writer_key]
    assert returned_keys(governor) == []
    notice = Notification.objects.get(recipient=tk, key=writer_key)
    assert "Triwulan III 2026" in notice.subject and "2026-Q3" not in notice.subject
    assert remind_returned_reports(on=day_n) == 0  # a re-run sends nothing twice
    on = day_n + datetime.timedelta(days=1)
    while on < day_2n:
        assert remind_returned_reports(on=on) == 0, on
        on += datetime.timedelta(days=1)
    assert returned_keys(governor) == []
    assert remind_returned_reports(on=day_2n) == 1
    assert returned_keys(governor) == [supervisor_key]
    assert remind_returned_reports(on=day_2n) == 0
    assert run_schedule(on=day_2n + datetime.timedelta(days=1))["returned_report_reminders"] == 0
    assert Notification.objects.filter(key__startswith="report-returned-reminder").count() == 2
    assert returned_keys(tk) == [writer_key]  # the writer once, the supervisor once


def test_a_resubmitted_report_is_not_chased(returned):
    report, tk, governor = returned
    report.refresh_from_db()
    services.do_save_draft(user=tk, report=report, **content(report))
    services.do_submit_report(user=tk, report=report)
    later = WorkingCalendar().add_working_days(DAY, 10, report.province)
    assert remind_returned_reports(on=later) == 0
    assert run_schedule(on=later)["returned_report_reminders"] == 0
    assert returned_keys(tk) == returned_keys(governor) == []
