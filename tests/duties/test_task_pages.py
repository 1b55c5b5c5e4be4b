"""Task pages: filters, pagination, query counts, and bad input that gets a
clear error and changes nothing."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from actors.models import Membership, User
from actors.services import do_end_membership
from core.models import AuditEvent
from duties import services
from duties.models import Duty, Task, TaskAttachment, TaskGroupObjectPermission
from home.reconcile import run_schedule
from tests.duties.files import disguised_exe, pdf, png
from tests.factories import actor


def make_adhoc(user, n):
    """n open ad hoc tasks, due from tomorrow on (in Jawa Tengah): none is late."""
    pj = actor("pjoprov")
    duty = Duty.objects.get(kind__code="pjoprov", number=3)
    tomorrow = pj.province.today() + datetime.timedelta(days=1)
    for i in range(n):
        services.do_create_task(
            user=user,
            actor=pj,
            duty=duty,
            title=f"Koordinasi #{i}",
            due_date=tomorrow + datetime.timedelta(days=i % 20),
            assignee=user,
        )


def test_the_task_list_uses_the_same_few_queries_for_5_and_for_50_rows(
    login, pjoprov_member, django_assert_max_num_queries
):
    client = login(pjoprov_member)
    # One list first: what a process keeps after its first list (permission
    # ids) is then kept for both lists that are counted.
    client.get(reverse("duties:task_list"))
    counts = []
    for total in (5, 50):
        make_adhoc(pjoprov_member, total - Task.objects.count())
        cache.clear()  # both requests count the navigation's badges (see core.attention)
        with django_assert_max_num_queries(10) as ctx:
            response = client.get(reverse("duties:task_list"))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_each_row_shows_the_tasks_link_labels_due_date_and_status(login, pjoprov_member):
    make_adhoc(pjoprov_member, 3)
    late, done, open_ = Task.objects.order_by("id")
    Task.objects.filter(pk=late.pk).update(due_date=datetime.date(2020, 1, 6), title="x" * 150)
    Task.objects.filter(pk=done.pk).update(status=Task.Status.DONE, assignee=None, title='<b>"Rapat" & co</b>')
    client = login(pjoprov_member)
    page = client.get(reverse("duties:task_list"), {"status": ""}).content.decode()
    rows = re.findall(r"<tr( class=\"is-overdue\")?>\s*<td><a href=\"([^\"]+)\">(.*?)</a>(.*?)</tr>", page, re.S)
    by_url = {url: (css, label, rest) for css, url, label, rest in rows}
    assert set(by_url) == {reverse("duties:task_detail", args=[t.pk]) for t in (late, done, open_)}
    css, label, rest = by_url[reverse("duties:task_detail", args=[late.pk])]
    assert css and label == "x" * 109 + "…"
    assert "6 Januari 2020" in rest and '<span class="pill pill-danger">Terlambat</span>' in rest
    assert "Ad hoc" in rest and pjoprov_member.display_name in rest
    css, label, rest = by_url[reverse("duties:task_detail", args=[done.pk])]
    assert (
        not css
        and '<span class="pill pill-ok">Selesai</span>' in rest
        and '<td data-label="Penanggung jawab">—</td>' in rest
    )
    assert label == "&lt;b&gt;&quot;Rapat&quot; &amp; co&lt;/b&gt;"
    css, label, rest = by_url[reverse("duties:task_detail", args=[open_.pk])]
    assert not css and label == "Koordinasi #2" and '<span class="pill">Terbuka</span>' in rest


def test_rows_load_a_duty_or_actor_they_were_not_given(pjoprov_member, django_assert_num_queries):
    """prepare_rows takes duties and actor names from the page; one it was
    not given is loaded, and the row shows the same."""
    from duties.views import prepare_rows

    make_adhoc(pjoprov_member, 2)
    today = datetime.date(2026, 11, 28)
    given = list(Task.objects.select_related("duty__kind", "actor__kind", "actor__province", "assignee"))
    prepare_rows(given, today, [t.duty for t in given], {t.actor_id: t.actor.name for t in given})
    bare = list(Task.objects.select_related("assignee"))
    with django_assert_num_queries(2):  # the duties, the actors (with kind and province)
        prepare_rows(bare, today, (), {})

    def shown(tasks):
        return [(t.duty.ref, t.actor_name, t.short_label, t.late) for t in tasks]

    assert shown(bare) == shown(given)
    assert {t.actor_name for t in bare} == {"PjOProv Jawa Tengah"}


def test_filters_by_status_period_duty_and_overdue(login, pjoprov_member, pjoprov_task):
    client = login(pjoprov_member)
    url = reverse("duties:task_list")
    assert pjoprov_task in client.get(url, {"period": "2026-10"}).context["page"].object_list
    assert pjoprov_task not in client.get(url, {"period": "2026-09"}).context["page"].object_list
    assert pjoprov_task in client.get(url, {"duty": pjoprov_task.duty_id}).context["page"].object_list
    assert pjoprov_task in client.get(url, {"status": "terbuka"}).context["page"].object_list
    assert pjoprov_task not in client.get(url, {"status": "selesai"}).context["page"].object_list
    # October 2026 ends on a Saturday: due Monday 2 Nov, overdue from the day after.
    assert pjoprov_task.due_date == datetime.date(2026, 11, 2)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 5, 0, tzinfo=datetime.UTC), tick=False):
        assert pjoprov_task not in client.get(url, {"overdue": "on"}).context["page"].object_list
    with time_machine.travel(datetime.datetime(2026, 11, 3, 5, 0, tzinfo=datetime.UTC), tick=False):
        assert pjoprov_task in client.get(url, {"overdue": "on"}).context["page"].object_list


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "hilang"}, "Masukkan pilihan yang valid"),
        ({"period": "2026-13"}, "Periode tidak valid"),
        ({"duty": "999999"}, "Masukkan pilihan yang valid"),
        ({"duty": "abc"}, "Masukkan pilihan yang valid"),
    ],
)
def test_a_bad_filter_is_a_400_with_a_clear_message(login, pjoprov_member, pjoprov_task, params, message):
    response = login(pjoprov_member).get(reverse("duties:task_list"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_page_number_out_of_range_shows_the_last_page(login, pjoprov_member, pjoprov_task):
    response = login(pjoprov_member).get(reverse("duties:task_list"), {"page": "9999"})
    assert response.status_code == 200


def test_completing_with_a_note_and_attachments(login, pjoprov_member, pjoprov_task):
    response = login(pjoprov_member).post(
        reverse("duties:task_update", args=[pjoprov_task.pk]),
        {
            "status": "selesai",
            "note": "Rapat 5 Oktober sudah dilaksanakan",
            "files": [pdf(), png()],
            "link_url": "https://drive.example.go.id/notulen",
            "link_label": "Notulen",
        },
    )
    assert response.status_code == 302
    pjoprov_task.refresh_from_db()
    assert pjoprov_task.status == Task.Status.DONE
    assert pjoprov_task.completed_by == pjoprov_member
    assert sorted(pjoprov_task.attachments.values_list("name", flat=True)) == ["foto.png", "notulen.pdf"]
    assert pjoprov_task.links.get().label == "Notulen"
    event = AuditEvent.objects.for_object(pjoprov_task).first()
    assert event.action == "task.status_changed"
    assert event.changes["after"] == {"status": "selesai"}
    page = login(pjoprov_member).get(reverse("duties:task_detail", args=[pjoprov_task.pk])).content.decode()
    assert "Rapat 5 Oktober sudah dilaksanakan" in page


def bad_update(client, task, data):
    before = (Task.objects.get(pk=task.pk).status, TaskAttachment.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("duties:task_update", args=[task.pk]), data)
    after = (Task.objects.get(pk=task.pk).status, TaskAttachment.objects.count(), AuditEvent.objects.count())
    return response, before, after


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "hilang", "note": "x"}, "Masukkan pilihan yang valid"),
        ({"status": "selesai", "note": ""}, "Tuliskan catatan"),
        ({"status": "selesai", "note": "x", "files": [disguised_exe()]}, "Isi berkas tidak sesuai"),
        ({"status": "selesai", "note": "x", "files": [pdf("virus.exe")]}, "tidak diterima"),
        ({"status": "selesai", "note": "x", "link_url": "javascript:alert(1)"}, "URL yang valid"),
        ({"status": "selesai", "note": "x" * 5001}, "5000"),
    ],
)
def test_bad_status_updates_are_refused_with_a_clear_message_and_change_nothing(
    login, pjoprov_member, pjoprov_task, data, message
):
    response, before, after = bad_update(login(pjoprov_member), pjoprov_task, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert before == after


def test_an_oversized_attachment_is_refused(login, pjoprov_member, pjoprov_task, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response, before, after = bad_update(
        login(pjoprov_member), pjoprov_task, {"status": "selesai", "note": "x", "files": [pdf()]}
    )
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()
    assert before == after


def test_an_impossible_transition_is_refused(login, pjoprov_member, pjoprov_task):
    client = login(pjoprov_member)
    client.post(reverse("duties:task_update", args=[pjoprov_task.pk]), {"status": "dibatalkan", "note": "Ditunda"})
    response, before, after = bad_update(client, pjoprov_task, {"status": "selesai", "note": "x"})
    assert response.status_code == 400
    assert "tidak dapat diubah" in response.content.decode()
    assert before == after


def test_a_task_id_of_another_province_is_not_found_for_every_task_url(login, pjoprov_member, diy_task):
    client = login(pjoprov_member)
    before = (Task.objects.get(pk=diy_task.pk).status, AuditEvent.objects.count())
    assert client.get(reverse("duties:task_detail", args=[diy_task.pk])).status_code == 404
    assert (
        client.post(reverse("duties:task_update", args=[diy_task.pk]), {"status": "selesai", "note": "x"}).status_code
        == 404
    )
    assert (
        client.post(reverse("duties:task_assign", args=[diy_task.pk]), {"assignee": pjoprov_member.pk}).status_code
        == 404
    )
    assert (Task.objects.get(pk=diy_task.pk).status, AuditEvent.objects.count()) == before
    page = client.get(reverse("duties:task_detail", args=[diy_task.pk])).content.decode()
    assert "Halaman tidak ditemukan" in page


@pytest.mark.parametrize("due", ["31/02/2026", "2026-02-31", "kemarin", "1800-01-01", "99999-01-01"])
def test_a_bad_due_date_on_an_adhoc_task_is_refused(login, pjoprov_member, pjoprov_task, due):
    count = Task.objects.count()
    response = login(pjoprov_member).post(
        reverse("duties:task_create"),
        {"actor": pjoprov_task.actor_id, "duty": pjoprov_task.duty_id, "title": "x", "due_date": due},
    )
    assert response.status_code == 400
    assert "Tanggal" in response.content.decode()
    assert Task.objects.count() == count


def test_an_adhoc_task_under_another_actors_duty_is_refused(login, pjoprov_member, pjoprov_task):
    count = Task.objects.count()
    kmw_duty = Duty.objects.get(kind__code="kmw", number=1)
    response = login(pjoprov_member).post(
        reverse("duties:task_create"), {"actor": pjoprov_task.actor_id, "duty": kmw_duty.pk, "title": "x"}
    )
    assert response.status_code == 400
    assert Task.objects.count() == count


def test_assigning_to_someone_outside_the_actor_is_refused(login, pjoprov_member, colleague, pjoprov_task):
    response = login(pjoprov_member).post(
        reverse("duties:task_assign", args=[pjoprov_task.pk]), {"assignee": colleague.pk}
    )
    assert response.status_code == 400
    pjoprov_task.refresh_from_db()
    assert pjoprov_task.assignee is None


def test_a_membership_that_ends_takes_access_away_the_next_day_without_editing_permissions(
    pjoprov_member, pjoprov_task
):
    end = datetime.date(2030, 3, 31)
    do_end_membership(Membership.objects.get(user=pjoprov_member), end_date=end)
    grants = list(TaskGroupObjectPermission.objects.order_by("pk").values_list("pk", "group_id", "permission_id"))
    # Access is judged on the request's date: the clock is set to each day (10.00 WIB).
    with time_machine.travel(datetime.datetime(2030, 3, 31, 3, 0, tzinfo=datetime.UTC), tick=False):
        run_schedule(on=end)
        # A fresh user object each time, as each request loads one.
        assert Task.objects.for_user(User.objects.get(pk=pjoprov_member.pk)).filter(pk=pjoprov_task.pk).exists()
    with time_machine.travel(datetime.datetime(2030, 4, 1, 3, 0, tzinfo=datetime.UTC), tick=False):
        run_schedule(on=end + datetime.timedelta(days=1))
        assert not (Task.objects.for_user(User.objects.get(pk=pjoprov_member.pk)).filter(pk=pjoprov_task.pk).exists())
    granted_after = TaskGroupObjectPermission.objects.filter(pk__in=[g[0] for g in grants]).order_by("pk")
    assert list(granted_after.values_list("pk", "group_id", "permission_id")) == grants


def test_the_home_page_shows_overdue_and_due_soon_work(login, pjoprov_member, pjoprov_task):
    with time_machine.travel(datetime.datetime(2026, 10, 27, 3, 0, tzinfo=datetime.UTC), tick=False):
        page = login(pjoprov_member).get("/").content.decode()
    assert "Tenggat 7 hari ke depan" in page
    assert pjoprov_task.duty.text[:40] in page
