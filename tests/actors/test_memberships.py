import datetime

import pytest
from django.core.exceptions import ValidationError

from actors import services
from actors.models import Membership, Position
from core.models import AuditEvent
from home.reconcile import run_schedule
from tests.factories import UserFactory, actor, member

pytestmark = pytest.mark.django_db


def in_group(user, kind, province="33"):
    return user.groups.filter(pk=actor(kind, province).group_id).exists()


def test_a_current_membership_puts_the_person_in_the_actor_group():
    user = member("pjoprov")
    assert in_group(user, "pjoprov")


def test_a_future_membership_grants_nothing_until_its_start_date():
    start = actor("tk-provinsi").province.today() + datetime.timedelta(days=90)
    user = member("tk-provinsi", start=start)
    assert not in_group(user, "tk-provinsi")
    run_schedule(on=start - datetime.timedelta(days=1))
    assert not in_group(user, "tk-provinsi")
    run_schedule(on=start)
    assert in_group(user, "tk-provinsi")


def test_the_group_is_left_the_day_after_the_end_date():
    end = datetime.date(2030, 6, 30)
    user = member("tk-provinsi", start=datetime.date(2030, 1, 1), end=end)
    run_schedule(on=end)
    assert in_group(user, "tk-provinsi")
    run_schedule(on=end + datetime.timedelta(days=1))
    assert not in_group(user, "tk-provinsi")


def test_group_sync_is_idempotent():
    member("kmw")
    run_schedule(on=datetime.date(2030, 1, 1))
    again = run_schedule(on=datetime.date(2030, 1, 1))
    assert (again["group_joins"], again["group_leaves"], again["tasks_created"]) == (0, 0, 0)


def test_sync_leaves_groups_that_are_not_actor_groups_alone():
    from django.contrib.auth.models import Group

    user = member("kmw")
    other = Group.objects.create(name="editors")
    user.groups.add(other)
    run_schedule(on=datetime.date(1990, 1, 1))  # before the membership: actor group goes
    assert user.groups.filter(pk=other.pk).exists()
    assert not in_group(user, "kmw")


def test_end_before_start_is_refused_and_nothing_is_saved():
    user = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.do_add_membership(
            user=user,
            actor=actor("pjoprov"),
            position=Position.objects.get(code="pjoprov"),
            start_date=datetime.date(2030, 5, 1),
            end_date=datetime.date(2030, 4, 1),
        )
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai" in str(excinfo.value)
    assert Membership.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_position_of_another_actor_kind_is_refused():
    with pytest.raises(ValidationError, match="tidak tersedia"):
        services.do_add_membership(
            user=UserFactory(),
            actor=actor("kmw"),
            position=Position.objects.get(code="ketua"),
            start_date=datetime.date(2030, 1, 1),
        )
    assert Membership.objects.count() == 0


def test_adding_and_ending_a_membership_is_audited():
    by = UserFactory()
    user = member("tkpkd")
    membership = Membership.objects.get(user=user)
    services.do_end_membership(membership, end_date=datetime.date(2030, 1, 1), by=by)
    actions = list(AuditEvent.objects.for_object(membership).values_list("action", flat=True))
    assert actions == ["membership.ended", "membership.created"]


def test_audit_events_cannot_be_edited_or_deleted():
    from django.core.exceptions import PermissionDenied

    member("tkpkd")
    event = AuditEvent.objects.first()
    event.summary = "changed"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.update(summary="x")
