"""The issue's "Done when", in the demo: demo-pjoprov proposes a new TK
member, demo-gubernur approves it with a decree, the new member sets a
password, logs in and sees TK tasks, and after the term ends (run_schedule
--date) no longer does; demo-pjoprov-diy cannot see the proposal."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from actors.models import Position, User
from appointments.models import Proposal
from duties.models import Task
from tests.actors.conftest import decree_data, pdf, today
from tests.factories import actor

pytestmark = pytest.mark.django_db


def demo_client(username, settings):
    c = Client()
    assert c.login(username=username, password=settings.DEMO_PASSWORD)
    return c


def test_done_when_walkthrough_in_the_demo(settings):
    call_command("seed_demo", "--force")
    call_command("run_schedule", "--date", today().isoformat())
    end = today() + datetime.timedelta(days=90)

    pjoprov = demo_client("demo-pjoprov", settings)
    response = pjoprov.post(
        reverse("appointments:proposal_create"),
        {
            "actor": actor("tk-provinsi").pk,
            "position": Position.objects.get(code="anggota").pk,
            "full_name": "Rina Wulandari",
            "nip": "198505052010012002",
            "email": "rina@example.invalid",
            "agency": "Dinas PMD Jawa Tengah",
            "mode": "definitif",
            "start_date": today().isoformat(),
            "end_date": end.isoformat(),
            "reason": "Anggota TK dari Dinas PMD.",
            "cv": pdf("cv-rina.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = Proposal.objects.get()
    assert pjoprov.post(reverse("appointments:proposal_submit", args=[proposal.pk])).status_code == 302

    assert (
        demo_client("demo-pjoprov-diy", settings)
        .get(reverse("appointments:proposal_detail", args=[proposal.pk]))
        .status_code
        == 404
    )

    gubernur = demo_client("demo-gubernur", settings)
    inbox = gubernur.get(reverse("appointments:proposal_inbox")).content.decode()
    assert "Rina Wulandari" in inbox
    response = gubernur.post(
        reverse("appointments:proposal_approve", args=[proposal.pk]),
        {**decree_data(), "start_date": today().isoformat(), "end_date": end.isoformat(), "scan": pdf()},
    )
    assert response.status_code == 302

    rina = User.objects.get(email="rina@example.invalid")
    link = rina.notifications.get(key__startswith="account-activation:").url
    newcomer = Client()
    form = newcomer.get(link, follow=True)
    password = "Rina-PNPM-2026!"
    assert (
        newcomer.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}).status_code
        == 302
    )
    assert newcomer.post(reverse("login"), {"username": rina.username, "password": password}).status_code == 302

    tk_task = Task.objects.filter(actor=actor("tk-provinsi"), origin=Task.Origin.SCHEDULE).order_by("due_date").first()
    tasks_page = newcomer.get(reverse("duties:task_list"))
    assert reverse("duties:task_detail", args=[tk_task.pk]) in tasks_page.content.decode()
    assert newcomer.get(reverse("duties:task_detail", args=[tk_task.pk])).status_code == 200

    call_command("run_schedule", "--date", (end + datetime.timedelta(days=1)).isoformat())
    assert (
        reverse("duties:task_detail", args=[tk_task.pk])
        not in newcomer.get(reverse("duties:task_list")).content.decode()
    )
    assert newcomer.get(reverse("duties:task_detail", args=[tk_task.pk])).status_code == 404
