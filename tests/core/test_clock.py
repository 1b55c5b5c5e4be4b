"""One "today" per province (core.clock): every date the app decides is the
province's own, at the edges of the day. Each test sets the clock.

31 December 2026, 15.30 UTC is 22.30 WIB (Jawa Tengah), 23.30 WITA (Bali)
and already 00.30 WIT on 1 January 2027 (Papua)."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from actors.models import Membership
from core import clock
from duties import services as task_services
from duties.models import Duty, Task
from duties.scheduler import mark_overdue
from home.reconcile import run_schedule
from tests.factories import actor, member

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NEW_YEAR_IN_PAPUA = datetime.datetime(2026, 12, 31, 15, 30, tzinfo=UTC)
NEW_YEARS_EVE = datetime.date(2026, 12, 31)
NEW_YEAR = datetime.date(2027, 1, 1)


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_2330_wib_is_still_the_same_day_in_jawa_tengah_and_already_tomorrow_further_east():
    with at(datetime.datetime(2026, 12, 31, 16, 30, tzinfo=UTC)):
        assert actor("pjoprov", "33").province.today() == NEW_YEARS_EVE  # 23.30 WIB
        assert clock.local_today() == NEW_YEARS_EVE  # national: Jakarta
        assert actor("pjoprov", "51").province.today() == NEW_YEAR  # 00.30 WITA
        assert clock.local_today("Asia/Jayapura") == NEW_YEAR  # 01.30 WIT
        assert clock.today_span() == (NEW_YEARS_EVE, NEW_YEAR)
        assert clock.local_now(actor("pjoprov", "91").province).hour == 1
        # A date given for a back-fill wins over the clock.
        assert clock.local_today(actor("pjoprov", "91").province, on=NEW_YEARS_EVE) == NEW_YEARS_EVE


def test_at_0030_wit_on_new_years_day_papuas_tasks_for_the_new_year_already_show(login):
    with at(NEW_YEAR_IN_PAPUA):
        papuan = member("pjoprov", "91", username="pjo-papua")
        run_schedule()
        monthly = Duty.objects.filter(kind__code="pjoprov", recurrence=Duty.Recurrence.MONTHLY)
        assert monthly.exists()
        for duty in monthly:
            assert Task.objects.filter(actor=actor("pjoprov", "91"), duty=duty, period="2027-01").exists()
            assert not Task.objects.filter(actor=actor("pjoprov", "33"), duty=duty, period="2027-01").exists()
            assert Task.objects.filter(actor=actor("pjoprov", "33"), duty=duty, period="2026-12").exists()
        page = login(papuan).get(reverse("duties:task_list"), {"period": "2027-01"})
        assert page.status_code == 200
        assert {t.period for t in page.context["page"].object_list} == {"2027-01"}


def test_a_term_that_ends_today_in_wit_ends_at_papuas_midnight_not_jakartas():
    with at(NEW_YEAR_IN_PAPUA - datetime.timedelta(days=2)):
        papuan = member("pjoprov", "91", username="pjo-papua", end=NEW_YEARS_EVE)
        javanese = member("pjoprov", "33", username="pjo-jateng", end=NEW_YEARS_EVE)
    with at(NEW_YEAR_IN_PAPUA):
        current = set(Membership.objects.current().values_list("user__username", flat=True))
        assert "pjo-jateng" in current  # 22.30 WIB: still 31 December
        assert "pjo-papua" not in current  # 00.30 WIT: the term is over
        # The same answer where a page offers people: the assignee choices.
        from duties.forms import TaskAssignForm

        choices = TaskAssignForm(actor=actor("pjoprov", "91")).fields["assignee"].queryset
        assert papuan not in choices
        run_schedule()
        assert not papuan.groups.filter(pk=actor("pjoprov", "91").group_id).exists()
        assert javanese.groups.filter(pk=actor("pjoprov", "33").group_id).exists()


def _row_of(page, task):
    url = reverse("duties:task_detail", args=[task.pk])
    match = re.search(r"<tr( class=\"is-overdue\")?>\s*<td><a href=\"" + re.escape(url) + r"\">.*?</tr>", page, re.S)
    assert match, f"no row for {url}"
    return match


def test_a_task_due_yesterday_in_papua_is_late_in_a_papuan_persons_list_and_badge(login):
    with at(NEW_YEAR_IN_PAPUA - datetime.timedelta(days=2)):
        papuan = member("pjoprov", "91", username="pjo-papua")
        javanese = member("pjoprov", "33", username="pjo-jateng")
        duty = Duty.objects.get(kind__code="pjoprov", number=3)
        tasks = {
            user: task_services.do_create_task(
                user=user,
                actor=actor("pjoprov", code),
                duty=duty,
                title="Koordinasi akhir tahun",
                due_date=NEW_YEARS_EVE,
            )
            for user, code in ((papuan, "91"), (javanese, "33"))
        }
    with at(NEW_YEAR_IN_PAPUA):
        page = login(papuan).get(reverse("duties:task_list")).content.decode()
        assert _row_of(page, tasks[papuan]).group(1), "late at 00.30 WIT on the day after its deadline"
        assert "Terlambat" in _row_of(page, tasks[papuan]).group(0)
        assert '<span class="sr-only">(1 tugas terlambat)</span>' in page
        home = login(papuan).get(reverse("home"))
        assert home.context["counts"]["overdue"] == 1
        page = login(javanese).get(reverse("duties:task_list")).content.decode()
        assert not _row_of(page, tasks[javanese]).group(1), "22.30 WIB: still due today in Jawa Tengah"


def test_terlambat_sejak_is_the_first_day_after_the_deadline_whenever_the_sweep_ran(login):
    with at(datetime.datetime(2026, 10, 1, 3, tzinfo=UTC)):
        pjo = member("pjoprov", "33", username="pjo-jateng")
        task = task_services.do_create_task(
            user=pjo,
            actor=actor("pjoprov", "33"),
            duty=Duty.objects.get(kind__code="pjoprov", number=3),
            title="Koordinasi",
            due_date=datetime.date(2026, 10, 12),
        )
    with at(datetime.datetime(2026, 11, 1, 3, tzinfo=UTC)):
        assert mark_overdue() >= 1  # the reconcile was down for three weeks
        task.refresh_from_db()
        assert task.overdue_since == datetime.date(2026, 10, 13)
        page = login(pjo).get(reverse("duties:task_detail", args=[task.pk])).content.decode()
        assert "Senin, 12 Oktober 2026" in page and "terlambat sejak 13 Oktober 2026" in page


def test_the_persons_zone_is_kept_at_login_and_jakarta_is_the_default(login, seknas_user):
    papuan = member("pjoprov", "91", username="pjo-papua")
    assert papuan.home_zone() == "Asia/Jayapura"
    assert seknas_user.home_zone() is None
    assert login(papuan).session[clock.SESSION_ZONE_KEY] == "Asia/Jayapura"
    assert login(seknas_user).session[clock.SESSION_ZONE_KEY] is None

    class Request:
        session = {clock.SESSION_ZONE_KEY: "Europe/London"}  # not an Indonesian zone: ignored

    with at(NEW_YEAR_IN_PAPUA):
        assert clock.request_today(Request()) == NEW_YEARS_EVE
        Request.session = {clock.SESSION_ZONE_KEY: "Asia/Jayapura"}
        assert clock.request_today(Request()) == NEW_YEAR
