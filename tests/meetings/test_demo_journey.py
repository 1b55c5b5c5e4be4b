"""The issue's 'done when', as a test: demo-pjoprov sees next month's routine
meeting already scheduled, records attendance and minutes with two
follow-ups, those appear as tasks of the responsible actors, and the month's
meeting duty shows done."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from actors.demo import create_demo_accounts
from actors.models import User
from duties.models import Task
from home.reconcile import run_schedule
from meetings.models import FollowUp, Meeting, MinutesVersion
from tests.factories import actor

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2030, 3, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def demo_client(username):
    c = Client()
    assert c.login(username=username, password=settings.DEMO_PASSWORD)
    return c


def test_demo_pjoprov_runs_the_month_from_schedule_to_follow_up_tasks():
    with time_machine.travel(NOW, tick=False):
        create_demo_accounts(today=NOW.date())
        run_schedule()  # what beat does every hour
        pjo = demo_client("demo-pjoprov")

        # next month's routine meeting is already scheduled, and on the home page
        april = Meeting.objects.get(actor=actor("pjoprov"), period="2030-04")
        assert (
            reverse("meetings:meeting_detail", args=[april.pk])
            in pjo.get(reverse("meetings:meeting_list")).content.decode()
        )
        assert "Rapat berikutnya" in pjo.get("/").content.decode()

        march = Meeting.objects.get(actor=actor("pjoprov"), period="2030-03")
        url = lambda name: reverse(f"meetings:{name}", args=[march.pk])  # noqa: E731
        assert (
            pjo.post(
                url("meeting_hold"), {"date": "2030-03-05", "start_time": "09:00", "end_time": "11:30"}
            ).status_code
            == 302
        )

        people = {u.username: u.pk for u in User.objects.filter(username__startswith="demo-")}
        kmw, tk = actor("kmw"), actor("tk-provinsi")
        assert (
            pjo.post(
                url("attendance"),
                {
                    f"person_{people['demo-pjoprov']}": "hadir",
                    f"person_{people['demo-kmw']}": "hadir",
                    f"person_{people['demo-tk']}": "izin",
                    f"actor_{kmw.pk}": "hadir",
                    f"actor_{tk.pk}": "izin",
                },
            ).status_code
            == 302
        )

        first, second = list(march.agenda.all())[:2]
        assert (
            pjo.post(
                url("minutes_edit"),
                {
                    f"problems_{first.pk}": "Realisasi fisik 62%, di bawah target 70%.",
                    f"decisions_{first.pk}": "KMW mempercepat pendampingan di 5 kecamatan terlambat.",
                    f"problems_{second.pk}": "Laporan UPK dua kabupaten belum masuk.",
                    f"decisions_{second.pk}": "TK menyurati Bappeda kabupaten.",
                },
            ).status_code
            == 302
        )
        for title, responsible, due in (
            ("Percepat pendampingan di 5 kecamatan", kmw, "2030-03-31"),
            ("Surati Bappeda kabupaten tentang laporan UPK", tk, "2030-03-27"),
        ):
            assert (
                pjo.post(url("follow_up_add"), {"title": title, "actor": responsible.pk, "due_date": due}).status_code
                == 302
            )
        assert pjo.post(url("minutes_approve")).status_code == 302

        # the follow-ups are tasks of the responsible actors
        assert "Percepat pendampingan" in demo_client("demo-kmw").get(reverse("duties:task_list")).content.decode()
        assert "Surati Bappeda" in demo_client("demo-tk").get(reverse("duties:task_list")).content.decode()
        assert FollowUp.objects.filter(meeting=march).count() == 2
        assert MinutesVersion.objects.get(meeting=march).status == MinutesVersion.Status.APPROVED

        # and the month's meeting duty shows done
        duty_task = Task.objects.get(
            actor=actor("pjoprov"), duty__number=5, duty__kind__code="pjoprov", period="2030-03"
        )
        assert duty_task.status == Task.Status.DONE
        detail = pjo.get(reverse("duties:task_detail", args=[duty_task.pk])).content.decode()
        assert "Selesai" in detail
