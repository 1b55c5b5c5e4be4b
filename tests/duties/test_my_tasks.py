""" "Tugas saya" is the person's own work: the tasks of the actors they hold a
seat in. What they oversee (the Governor's office over TK PNPM-MP, TKPKD and
PjOProv) is its own list, "Tugas yang diawasi", offered as a tab only to
those who oversee someone."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from actors.models import User
from core.permissions import sync_grants
from duties import permissions
from duties.models import Task
from home.badges import BADGES
from tests.duties.conftest import DAY, scheduled_task
from tests.factories import actor

OWN_URL = reverse("duties:task_list")
OVERSEEN_URL = reverse("duties:overseen_task_list")
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def listed(response):
    return list(response.context["page"].object_list)


def everything(client, url):
    """Every task of a list, open or not, all pages."""
    tasks, page = [], 1
    while True:
        response = client.get(url, {"status": "", "page": page})
        assert response.status_code == 200
        tasks += listed(response)
        if not response.context["page"].has_next():
            return tasks
        page += 1


def test_the_governors_own_list_has_only_the_governors_tasks(scheduled, login, gubernur_office):
    client = login(gubernur_office)
    response = client.get(OWN_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Tugas saya</h1>" in page and "<title>Tugas saya" in page
    own = everything(client, OWN_URL)
    gubernur = actor("gubernur", "33")
    assert own and {task.actor_id for task in own} == {gubernur.pk}
    assert {t.pk for t in own} == set(Task.objects.filter(actor=gubernur).values_list("pk", flat=True))


def test_the_governors_overseen_list_has_the_other_actors_tasks(scheduled, login, gubernur_office):
    client = login(gubernur_office)
    response = client.get(OVERSEEN_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Tugas yang diawasi</h1>" in page
    assert "Buat tugas ad hoc" not in page  # ad hoc tasks are made for one's own actors
    overseen = everything(client, OVERSEEN_URL)
    kinds = set(
        Task.objects.filter(pk__in=[t.pk for t in overseen]).values_list("actor__kind__code", flat=True).distinct()
    )
    assert kinds == {"tkpkd", "tk-provinsi", "pjoprov"}
    assert actor("gubernur", "33").pk not in {t.actor_id for t in overseen}
    expected = Task.objects.filter(
        actor__province__code="33", actor__kind__code__in=("tkpkd", "tk-provinsi", "pjoprov")
    ).values_list("pk", flat=True)
    assert {t.pk for t in overseen} == set(expected)
    # The actor column names whose task each row is.
    assert "PjOProv Jawa Tengah" in page


def test_both_lists_link_to_each_other_for_someone_who_oversees(scheduled, login, gubernur_office):
    client = login(gubernur_office)
    for url, current in ((OWN_URL, OWN_URL), (OVERSEEN_URL, OVERSEEN_URL)):
        page = client.get(url).content.decode()
        assert f'href="{OWN_URL}"' in page and f'href="{OVERSEEN_URL}"' in page
        assert f'<a class="chip" href="{current}" aria-current="page">' in page


@pytest.mark.parametrize("persona", ["pjoprov_member", "colleague", "seknas_user"])
def test_someone_who_oversees_nobody_has_no_overseen_tab_and_no_such_list(scheduled, login, persona, request):
    user = request.getfixturevalue(persona)
    client = login(user)
    page = client.get(OWN_URL).content.decode()
    assert "<h1>Tugas saya</h1>" in page
    assert OVERSEEN_URL not in page and "Tugas yang diawasi" not in page
    assert client.get(OVERSEEN_URL).status_code == 404


def test_a_member_of_an_overseen_actor_has_its_tasks_as_their_own(scheduled, login, pjoprov_member):
    own = everything(login(pjoprov_member), OWN_URL)
    assert own and {t.actor_id for t in own} == {actor("pjoprov", "33").pk}


def test_the_filters_work_on_the_overseen_list_and_offer_its_duties(scheduled, login, gubernur_office):
    client = login(gubernur_office)
    task = scheduled_task("pjoprov", "33", number=5)
    response = client.get(OVERSEEN_URL, {"duty": task.duty_id, "status": ""})
    assert response.status_code == 200
    assert [t.pk for t in listed(response)] == [task.pk]
    page = response.content.decode()
    assert f'href="{OVERSEEN_URL}">Hapus saringan' in page
    # A Gubernur duty is no choice on the overseen list, and a PjOProv duty none on the own list.
    gubernur_duty = scheduled_task("gubernur", "33").duty_id
    assert client.get(OVERSEEN_URL, {"duty": gubernur_duty}).status_code == 400
    assert client.get(OWN_URL, {"duty": task.duty_id}).status_code == 400


def test_the_crumb_of_a_task_leads_back_to_its_list(scheduled, login, gubernur_office):
    client = login(gubernur_office)
    overseen = scheduled_task("pjoprov", "33", number=5)
    own = scheduled_task("gubernur", "33")
    page = client.get(reverse("duties:task_detail", args=[overseen.pk])).content.decode()
    assert f'<a href="{OVERSEEN_URL}">Tugas yang diawasi</a>' in page
    page = client.get(reverse("duties:task_detail", args=[own.pk])).content.decode()
    assert f'<a href="{OWN_URL}">Tugas saya</a>' in page


@pytest.mark.parametrize("url", [OWN_URL, OVERSEEN_URL])
def test_both_lists_use_the_same_few_queries_whatever_the_number_of_rows(
    scheduled, login, gubernur_office, url, django_assert_max_num_queries
):
    client = login(gubernur_office)
    client.get(url)  # what a process keeps after its first list
    counts = []
    for extra in (0, 20):
        if extra:
            pj = actor("pjoprov", "33") if url == OVERSEEN_URL else actor("gubernur", "33")
            template = Task.objects.filter(actor=pj).first()
            Task.objects.bulk_create(
                [
                    Task(actor=pj, duty=template.duty, origin=Task.Origin.ADHOC, title=f"Tambahan {i}", due_date=DAY)
                    for i in range(extra)
                ]
            )
            sync_grants(Task.objects.filter(title__startswith="Tambahan").select_related("actor"))
        cache.clear()  # both requests count the navigation's badges (see core.attention)
        with django_assert_max_num_queries(10) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert response.context["page"].paginator.count >= 20


def test_the_navigation_badge_counts_the_persons_own_late_tasks(scheduled, gubernur_office):
    overseen = scheduled_task("pjoprov", "33", number=5)
    own = scheduled_task("gubernur", "33")
    late = DAY - datetime.timedelta(days=3)
    Task.objects.filter(pk__in=[overseen.pk, own.pk]).update(due_date=late)
    with time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=JAKARTA), tick=False):
        user = User.objects.get(pk=gubernur_office.pk)
        badge = BADGES.queries(user, DAY)["tasks"]
        assert list(badge.values_list("pk", flat=True)) == [own.pk]
        # The overseen one is still visible, on the other list.
        assert Task.objects.for_user(user, reach=permissions.OVERSEEN).overdue(DAY).filter(pk=overseen.pk).exists()
