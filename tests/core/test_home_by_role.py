"""The home page per role: a provincial member sees their own work first,
the Governor's office the decisions waiting for it, seknas the submission
status across provinces. Every home page stays within a fixed number of
queries, whatever the number of tasks, proposals or reports."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from duties.models import Duty, Task
from duties.services import do_create_task
from home.reconcile import run_schedule
from reports import services as report_services
from tests.actors.conftest import submitted
from tests.factories import actor, member
from tests.reports.conftest import content, report_of

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
DAY = datetime.date(2026, 10, 12)  # a Monday


@pytest.fixture
def monday():
    with time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=JAKARTA), tick=False) as traveller:
        yield traveller


@pytest.fixture
def scheduled(monday):
    run_schedule(on=DAY)


def overdue_and_due_soon(user, extra=1):
    """One task made overdue and `extra` new tasks due in three days."""
    pjo = actor("pjoprov")
    task = Task.objects.filter(actor=pjo, status__in=("terbuka", "dikerjakan")).order_by("id").first()
    Task.objects.filter(pk=task.pk).update(due_date=DAY - datetime.timedelta(days=5))
    duty = Duty.objects.filter(kind=pjo.kind).order_by("number").first()
    for i in range(extra):
        do_create_task(user=user, actor=pjo, duty=duty, title=f"Cek lapangan {i}", due_date=DAY + datetime.timedelta(3))


def index(page, text):
    position = page.find(text)
    assert position >= 0, f"{text!r} is not on the page"
    return position


def test_a_provincial_member_sees_overdue_and_due_soon_counts_in_words(scheduled, login, pjoprov_member):
    overdue_and_due_soon(pjoprov_member)
    tasks = Task.objects.for_user(pjoprov_member)
    overdue, soon = tasks.overdue(DAY).count(), tasks.due_soon(DAY).count()
    assert overdue >= 1 and soon >= 1
    page = login(pjoprov_member).get("/").content.decode()
    assert f'<span class="badge">{overdue}</span> tugas terlambat' in page
    assert f'<span class="badge">{soon}</span> tugas bertenggat 7 hari ke depan' in page
    # Their own work comes before the reports and the meetings.
    assert index(page, "Tugas yang perlu perhatian") < index(page, 'id="home-reports"') < index(page, "Rapat bulan ini")


def test_a_member_without_urgent_work_is_told_what_to_do_next(scheduled, login, db):
    tkpkd = member("tkpkd", "33", username="tkpkd-jateng")
    page = login(tkpkd).get("/").content.decode()
    assert '<span class="badge">0</span> tugas terlambat' in page
    assert "Tidak ada tugas terlambat atau bertenggat dalam 7 hari" in page
    assert "Tidak ada laporan yang perlu Anda tulis atau perbaiki sekarang" in page


def test_this_months_meeting_is_on_the_home_page(scheduled, login, pjoprov_member):
    from meetings.models import Meeting

    meeting = Meeting.objects.filter(actor=actor("pjoprov"), period="2026-10").get()
    page = login(pjoprov_member).get("/").content.decode()
    this_month = page.split("Rapat bulan ini", 1)[1].split("Rapat berikutnya", 1)[0]
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in this_month
    assert "6 Oktober 2026, 09.00 WIB" in this_month


def test_the_governors_office_sees_waiting_approvals_first_with_the_oldest(
    scheduled, login, pjoprov_member, gubernur_office, monday
):
    overdue_and_due_soon(pjoprov_member)  # PjOProv's tasks, which the Governor's office oversees
    own = Task.objects.filter(actor=actor("gubernur"), status="terbuka").order_by("id").first()
    Task.objects.filter(pk=own.pk).update(due_date=DAY - datetime.timedelta(days=2))  # one of its own, late
    first = submitted(pjoprov_member, full_name="Siti Rahmawati")
    monday.shift(datetime.timedelta(hours=2))
    submitted(pjoprov_member, full_name="Budi Santoso", email="budi@example.invalid", nip="197001012000011001")
    page = login(gubernur_office).get("/").content.decode()
    assert '<span class="badge">2</span> usulan menunggu keputusan' in page
    approvals = page.split('id="home-approvals"', 1)[1].split("</section>", 1)[0]
    assert "2 usulan penetapan menunggu keputusan Anda." in approvals
    assert "Paling lama menunggu:" in approvals
    assert reverse("appointments:proposal_detail", args=[first.pk]) in approvals and "Siti Rahmawati" in approvals
    assert "Budi Santoso" not in approvals
    assert "12 Oktober 2026, 10.00 WIB" in approvals
    # Decisions, then reports to review, then tasks.
    assert (
        index(page, 'id="home-approvals"') < index(page, 'id="home-review"') < index(page, "Tugas yang perlu perhatian")
    )
    # Its own work only: the overseen PjOProv's late task is on /tugas/diawasi/.
    work = page.split("Tugas yang perlu perhatian", 1)[1]
    assert reverse("duties:task_detail", args=[own.pk]) in work and "PjOProv" not in work.split("</section>", 1)[0]
    assert '<span class="badge">1</span> tugas terlambat' in page


def test_the_governors_office_with_nothing_waiting_is_told_where_proposals_will_appear(
    scheduled, login, gubernur_office
):
    page = login(gubernur_office).get("/").content.decode()
    assert '<span class="badge">0</span> usulan menunggu keputusan' in page
    assert "Tidak ada usulan penetapan yang menunggu keputusan Anda" in page
    assert "Tidak ada laporan yang menunggu tanggapan Anda" in page


def test_the_governors_office_sees_the_submitted_quarterly_report_to_review(login, gubernur_office, tk_member, slots):
    report = report_of("tk-triwulan")
    report_services.do_save_draft(user=tk_member, report=report, **content(report))
    report_services.do_submit_report(user=tk_member, report=report)
    page = login(gubernur_office).get("/").content.decode()
    review = page.split('id="home-review"', 1)[1].split("</section>", 1)[0]
    assert reverse("reports:report_detail", args=[report.pk]) in review
    assert "dikirim 5 Oktober 2026, 10.00 WIB" in review
    assert '<span class="badge">1</span> laporan menunggu tanggapan' in page


def test_seknas_sees_how_many_provinces_submitted_the_last_period_first(login, seknas_user, tk_member, slots, clock):
    report = report_of("tk-triwulan")
    report_services.do_save_draft(user=tk_member, report=report, **content(report))
    report_services.do_submit_report(user=tk_member, report=report)
    clock.move_to(datetime.datetime(2026, 10, 13, 8, 0, tzinfo=JAKARTA))  # Q3's deadline has passed
    page = login(seknas_user).get("/").content.decode()
    block = page.split('id="home-submissions"', 1)[1].split("</section>", 1)[0]
    tk = block.split("Triwulan III 2026", 1)[1].split('class="submission"', 1)[0]
    assert '<span class="stat">1</span> dari 38 provinsi sudah mengirim (3%)' in tk
    # In the national matrix's words (reports.models.ReportState).
    assert '<span class="badge">1</span> Dikirim tepat waktu' in tk
    assert '<span class="badge">37</span> Terlambat, belum dikirim' in tk
    assert f'href="{reverse("reports:national")}"' in block
    assert index(page, 'id="home-submissions"') < index(page, 'id="home-reports"')


def test_latest_period_status_counts_on_time_late_overdue_and_waiting(tk_member, slots, clock):
    from reports.national import latest_period_status, periodic_types, provinces_for

    tk_type = [t for t in periodic_types() if t.code == "tk-triwulan"]
    (before,) = latest_period_status(tk_type, provinces_for(), datetime.date(2026, 10, 5))
    assert (before["period"], before["submitted"], before["overdue"], before["waiting"]) == ("2026-Q3", 0, 0, 38)
    clock.move_to(datetime.datetime(2026, 10, 13, 8, 0, tzinfo=JAKARTA))
    report = report_of("tk-triwulan")
    report_services.do_save_draft(user=tk_member, report=report, **content(report))
    report_services.do_submit_report(user=tk_member, report=report)
    (after,) = latest_period_status(tk_type, provinces_for(), datetime.date(2026, 10, 13))
    assert (after["on_time"], after["late"], after["overdue"], after["waiting"]) == (0, 1, 37, 0)
    assert after["percent"] == 3


# --- bounded queries: the same ceiling with 1 or 20 more rows ---------------

# Measured: 15 (provincial, Governor's office) and 17 (seknas: the national
# tally and the last period's status), session and navigation badges included.
CEILING = {"provinsi": 15, "gubernur": 15, "seknas": 17}


@pytest.mark.parametrize("extra", [1, 20])
def test_provincial_home_queries_are_bounded(scheduled, login, pjoprov_member, extra, django_assert_max_num_queries):
    overdue_and_due_soon(pjoprov_member, extra=extra)
    c = login(pjoprov_member)
    with django_assert_max_num_queries(CEILING["provinsi"]):
        assert c.get("/").status_code == 200


@pytest.mark.parametrize("extra", [1, 6])
def test_governor_home_queries_are_bounded(
    scheduled, login, pjoprov_member, gubernur_office, extra, django_assert_max_num_queries
):
    for i in range(extra):
        submitted(
            pjoprov_member, full_name=f"Calon {i}", email=f"calon{i}@example.invalid", nip=f"1980010120050120{i:02d}"
        )
    c = login(gubernur_office)
    with django_assert_max_num_queries(CEILING["gubernur"]):
        page = c.get("/").content.decode()
    assert f"{extra} usulan penetapan menunggu keputusan Anda." in page


def test_seknas_home_queries_are_bounded(login, seknas_user, slots, django_assert_max_num_queries):
    c = login(seknas_user)
    with django_assert_max_num_queries(CEILING["seknas"]):
        assert c.get("/").status_code == 200


def test_home_of_someone_in_two_actors_uses_the_governors_layout(scheduled, login, pjoprov_member):
    overdue_and_due_soon(pjoprov_member)
    member("gubernur", "33", user=pjoprov_member, position="staf-biro")
    page = login(pjoprov_member).get("/").content.decode()
    assert index(page, 'id="home-approvals"') < index(page, "Tugas yang perlu perhatian")


def test_someone_without_a_membership_sees_only_what_to_do_about_it(login, db):
    from tests.factories import UserFactory

    page = login(UserFactory()).get("/").content.decode()
    assert "belum terdaftar" in page
    assert 'class="chips"' not in page and "Tugas yang perlu perhatian" not in page
