"""core.permissions: permission ids kept per process, dropped by migrate."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management.sql import emit_post_migrate_signal

from core import permissions
from core.permissions import permission_id, permission_ids
from duties.models import Duty, Task, TaskGroupObjectPermission
from duties.permissions import grant_task_permissions, tasks_for_user
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
    grant_task_permissions([task])
    return task


def test_an_unknown_codename_is_none_and_grants_nothing(db, pjoprov_member):
    task = _task()
    grants = TaskGroupObjectPermission.objects.filter(content_object=task)
    assert grants.filter(permission_id=permission_id(Task, "view_task")).exists()
    assert permission_id(Task, "fly_task") is None
    assert not grants.filter(permission_id=permission_id(Task, "fly_task")).exists()


def test_a_permission_made_again_by_migrate_is_read_again(db, pjoprov_member):
    task = _task()
    old = permission_id(Task, "view_task")
    assert tasks_for_user(pjoprov_member).filter(pk=task.pk).exists()
    # What a test's flush does: the rows go (their grants with them) and
    # post_migrate makes them again, with new ids.
    Permission.objects.filter(pk=old).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    new = permission_id(Task, "view_task")
    assert new == _rows(Task)["view_task"] != old
    assert not tasks_for_user(pjoprov_member).filter(pk=task.pk).exists()
    grant_task_permissions([task])
    assert tasks_for_user(pjoprov_member).filter(pk=task.pk).exists()
