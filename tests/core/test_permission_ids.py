"""core.permissions: permission ids kept per process, dropped by migrate."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management.sql import emit_post_migrate_signal

from core import permissions
from core.permissions import permission_id, permission_ids, sync_grants
from duties.models import Duty, Task, TaskGroupObjectPermission
from meetings.models import Meeting
from tests.factories import actor


@pytest.fixture(autouse=True)
def _forget_after():
    # The test's rollback brings the old rows back without a post_migrate:
    # the ids kept during the test must not outlive it.
    yield
    permissions.forget_permission_ids()


def _rows(model):
    return dict(
        Permission.objects.filter(
            content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
        ).values_list("codename", "id")
    )


def test_they_are_the_permission_rows_read_once(db, django_assert_num_queries):
    expected = _rows(Task)
    permissions.forget_permission_ids()
    with django_assert_num_queries(1):
        assert permission_ids(Task) == expected
    with django_assert_num_queries(0):
        assert permission_id(Task, "complete_task") == expected["complete_task"]
        assert permission_ids(Task) == expected
    assert permission_ids(Meeting) == _rows(Meeting) != _rows(Task)


def _task():
    pjoprov = actor("pjoprov")
    task = Task.objects.create(duty=Duty.objects.filter(kind_id=pjoprov.kind_id).first(), actor=pjoprov)
    sync_grants([task])
    return task


def test_an_unknown_codename_is_none_and_grants_nothing(db, pjoprov_member):
    task = _task()
    grants = TaskGroupObjectPermission.objects.filter(content_object=task)
    # The real ids: every grant row names its permission by the id kept here.
    rows = list(grants.values_list("permission__codename", "permission_id"))
    assert rows and "view_task" in dict(rows)
    assert all(permission_id(Task, codename) == pk for codename, pk in rows)
    assert (
        permission_id(Task, "view_task")
        == Permission.objects.get(content_type__app_label="duties", codename="view_task").pk
    )
    # An unknown codename has no id, and asking with it finds no grant, though
    # the task has grants and the same question with a real action finds it.
    assert permission_id(Task, "no_such_perm") is None
    assert grants.count() == len(rows) > 0
    assert grants.filter(permission_id=permission_id(Task, "no_such_perm")).count() == 0
    assert Task.objects.for_user(pjoprov_member, "view").filter(pk=task.pk).exists()
    assert not Task.objects.for_user(pjoprov_member, "no_such").exists()
    assert not permissions.user_may(pjoprov_member, task, "no_such")


def test_a_permission_made_again_by_migrate_is_read_again(db, pjoprov_member):
    task = _task()
    old = permission_id(Task, "view_task")
    assert Task.objects.for_user(pjoprov_member).filter(pk=task.pk).exists()
    # What a test's flush does: the rows go (their grants with them) and
    # post_migrate makes them again, with new ids.
    Permission.objects.filter(pk=old).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    new = permission_id(Task, "view_task")
    assert new == _rows(Task)["view_task"] != old
    assert not Task.objects.for_user(pjoprov_member).filter(pk=task.pk).exists()
    sync_grants([task])
    assert Task.objects.for_user(pjoprov_member).filter(pk=task.pk).exists()


def test_an_action_a_rule_does_not_know_opens_nothing(pjoprov_member):
    from actors.models import Actor
    from core.permissions import CHANGE, user_may

    seen = Actor.objects.for_user(pjoprov_member).first()
    assert seen is not None and user_may(pjoprov_member, seen, "view")
    assert not user_may(pjoprov_member, seen, CHANGE)
    assert not Actor.objects.for_user(pjoprov_member, "no_such_action").exists()


def test_every_policy_is_registered_once_django_is_set_up():
    """A fresh process (manage.py shell, a worker) knows every policy before
    anything imports an app's permissions module."""
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.apps import apps; from core.permissions import policy_for; "
        "[policy_for(apps.get_model(label)) for label in "
        "('duties.Task', 'meetings.Meeting', 'meetings.MeetingSeries', 'reports.Report', 'reports.ReportVersion', "
        "'actors.Actor', 'actors.Proposal')]; print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]
