"""Object permissions limit each role to its own tasks: the permission matrix
for every task URL and persona, and the database unchanged on refusals."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from duties import services
from duties.models import Task, TaskAttachment, TaskGroupObjectPermission
from tests.duties.files import pdf
from tests.factories import member

PERSONAS = ["member", "colleague", "outsider", "gubernur", "seknas", "anonymous"]


@pytest.fixture
def people(pjoprov_member, colleague, outsider, gubernur_office, seknas_user):
    return {
        "member": pjoprov_member,
        "colleague": colleague,
        "outsider": outsider,
        "gubernur": gubernur_office,
        "seknas": seknas_user,
        "anonymous": None,
    }


@pytest.fixture
def attachment(pjoprov_task, pjoprov_member):
    services.do_update_task_status(
        user=pjoprov_member, task=pjoprov_task, status=Task.Status.IN_PROGRESS, note="mulai", files=[pdf()]
    )
    return TaskAttachment.objects.get(task=pjoprov_task)


def client_for(user):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def snapshot(task):
    task.refresh_from_db()
    return (
        task.status,
        task.assignee_id,
        task.completion_note,
        TaskAttachment.objects.count(),
        AuditEvent.objects.count(),
        Task.objects.count(),
    )


READ_EXPECTED = {"member": 200, "colleague": 404, "outsider": 404, "gubernur": 200, "seknas": 404, "anonymous": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_task_detail(persona, people, pjoprov_task):
    response = client_for(people[persona]).get(reverse("duties:task_detail", args=[pjoprov_task.pk]))
    assert response.status_code == READ_EXPECTED[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_attachment_download(persona, people, attachment):
    url = reverse("duties:attachment_download", args=[attachment.task_id, attachment.pk])
    response = client_for(people[persona]).get(url)
    assert response.status_code == READ_EXPECTED[persona]
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"%PDF")


WRITE_EXPECTED = {"member": 302, "colleague": 404, "outsider": 404, "gubernur": 403, "seknas": 404, "anonymous": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_task_status_update(persona, people, pjoprov_task):
    before = snapshot(pjoprov_task)
    response = client_for(people[persona]).post(
        reverse("duties:task_update", args=[pjoprov_task.pk]),
        {"status": "selesai", "note": "Rapat sudah dilaksanakan", "files": [pdf()]},
    )
    assert response.status_code == WRITE_EXPECTED[persona]
    if persona == "member":
        assert response.url == reverse("duties:task_detail", args=[pjoprov_task.pk])
        assert snapshot(pjoprov_task)[0] == Task.Status.DONE
        assert TaskAttachment.objects.filter(task=pjoprov_task).count() == 1
    else:
        assert snapshot(pjoprov_task) == before
        if persona == "anonymous":
            assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_task_assign(persona, people, pjoprov_task):
    before = snapshot(pjoprov_task)
    response = client_for(people[persona]).post(
        reverse("duties:task_assign", args=[pjoprov_task.pk]), {"assignee": people["member"].pk}
    )
    assert response.status_code == WRITE_EXPECTED[persona]
    if persona == "member":
        assert snapshot(pjoprov_task)[1] == people["member"].pk
    else:
        assert snapshot(pjoprov_task) == before


# Whether the PjOProv task is on the persona's own list ("Tugas saya") and on
# their overseen list (None: they oversee nobody, the list is a 404).
LIST_SEES = {
    "member": (True, None),
    "colleague": (False, None),
    "outsider": (False, None),
    "gubernur": (False, True),
    "seknas": (False, None),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_task_lists_show_exactly_what_the_detail_page_allows(persona, people, pjoprov_task, kmw_task, diy_task):
    response = client_for(people[persona]).get(reverse("duties:task_list"))
    overseen = client_for(people[persona]).get(reverse("duties:overseen_task_list"))
    if persona == "anonymous":
        assert response.status_code == overseen.status_code == 302
        return
    assert response.status_code == 200
    own_sees, overseen_sees = LIST_SEES[persona]
    listed = {t.pk for t in response.context["page"].object_list}
    assert (pjoprov_task.pk in listed) is own_sees
    if overseen_sees is None:
        assert overseen.status_code == 404
    else:
        assert overseen.status_code == 200
        overseen_listed = {t.pk for t in overseen.context["page"].object_list}
        assert (pjoprov_task.pk in overseen_listed) is overseen_sees
        assert not listed & overseen_listed
        listed |= overseen_listed
    assert diy_task.pk not in listed or persona == "outsider"
    for pk in listed:
        detail = client_for(people[persona]).get(reverse("duties:task_detail", args=[pk]))
        assert detail.status_code == 200


CREATE_EXPECTED = {"member": 302, "colleague": 400, "outsider": 400, "gubernur": 400, "seknas": 403, "anonymous": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_an_adhoc_task_under_a_pjoprov_duty(persona, people, pjoprov_task):
    count = Task.objects.count()
    response = client_for(people[persona]).post(
        reverse("duties:task_create"),
        {"actor": pjoprov_task.actor_id, "duty": pjoprov_task.duty_id, "title": "Tindak lanjut: undangan KMW"},
    )
    assert response.status_code == CREATE_EXPECTED[persona]
    assert Task.objects.count() == count + (1 if persona == "member" else 0)


def test_gubernur_office_cannot_see_kmw_tasks(gubernur_office, kmw_task):
    response = client_for(gubernur_office).get(reverse("duties:task_detail", args=[kmw_task.pk]))
    assert response.status_code == 404


def test_a_superuser_is_not_a_shortcut_in_views(db, pjoprov_task):
    from actors.models import User

    admin = User.objects.create_superuser("root-admin", "a@example.invalid", "pw-123456789")
    assert client_for(admin).get(reverse("duties:task_detail", args=[pjoprov_task.pk])).status_code == 404


def test_grants_are_to_groups_never_to_people(pjoprov_task):
    from duties.models import TaskUserObjectPermission

    assert TaskUserObjectPermission.objects.count() == 0
    groups = set(
        TaskGroupObjectPermission.objects.filter(content_object=pjoprov_task).values_list("group__name", flat=True)
    )
    assert groups == {"pjoprov-33", "gubernur-33"}


def test_a_member_of_two_actors_sees_both(pjoprov_task, kmw_task):
    user = member("pjoprov", "33")
    member("kmw", "33", user=user)
    response = client_for(user).get(reverse("duties:task_list"))
    listed = {t.pk for t in response.context["page"].object_list}
    assert {pjoprov_task.pk, kmw_task.pk} <= listed
