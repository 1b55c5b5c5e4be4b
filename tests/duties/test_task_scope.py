"""`task_scope` is one SQL statement (it runs on every task list); these
tests hold it to its ORM definition, `task_scope_reference`, and to what the
source document says about who supervises whom."""

import datetime

import hypothesis.strategies as st
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings

from actors.models import Actor, ActorRelation, Membership, Position, User
from core import clock
from duties.permissions import scope_actor_names, task_scope, task_scope_reference
from tests.factories import UserFactory, actor, member


def fresh(user):
    """The scope is kept on the user object; a new object asks again."""
    return User.objects.get(pk=user.pk)


def kinds_of(scope):
    kind_ids = scope.kinds
    return set(Actor.objects.filter(kind_id__in=kind_ids).values_list("kind__code", flat=True).distinct())


PERSONAS = ["pjoprov_member", "colleague", "outsider", "gubernur_office", "seknas_user"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_sql_gives_what_the_orm_definition_gives(persona, request):
    user = fresh(request.getfixturevalue(persona))
    assert task_scope(user) == task_scope_reference(fresh(user))


def test_the_governors_office_sees_the_teams_that_answer_to_it_in_its_own_province(gubernur_office):
    groups, actors, _kinds, own = scope = task_scope(fresh(gubernur_office))
    assert groups == [actor("gubernur", "33").group_id]
    # From the seed: TKPKD, TK PNPM-MP and PjOProv answer to the Gubernur; KMW does not.
    assert kinds_of(scope) == {"gubernur", "tkpkd", "tk-provinsi", "pjoprov"}
    assert set(Actor.objects.filter(pk__in=actors).values_list("province__code", flat=True)) == {"33"}
    # Its own seat is the Gubernur; the rest is what it oversees.
    assert own == [actor("gubernur", "33").pk]
    assert set(scope.overseen) == set(actors) - {actor("gubernur", "33").pk}


def test_a_member_sees_only_their_own_actor(pjoprov_member):
    groups, actors, _kinds, own = scope = task_scope(fresh(pjoprov_member))
    assert groups == [actor("pjoprov", "33").group_id]
    assert actors == own == [actor("pjoprov", "33").pk]
    assert scope.overseen == []


def test_a_user_without_an_actor_has_an_empty_scope(db):
    assert task_scope(fresh(UserFactory())) == ([], [], set(), [])


def test_one_query_kept_on_the_user_object(gubernur_office):
    user = fresh(gubernur_office)
    with CaptureQueriesContext(connection) as queries:
        first = task_scope(user)
        again = task_scope(user)
    assert len(queries) == 1
    assert first is again


def test_other_relations_do_not_widen_the_scope(gubernur_office):
    """Only "bertanggung jawab kepada", "diawasi kinerjanya oleh" and
    "ditetapkan oleh" make a supervisor; "dibina oleh", for one, does not."""
    before = task_scope(fresh(gubernur_office))
    assert actor("kmw", "33").pk not in before[1]
    kmw = actor("kmw", "33").kind
    gubernur = actor("gubernur", "33").kind
    ActorRelation.objects.get_or_create(source=kmw, target=gubernur, relation=ActorRelation.Relation.GUIDED_BY)
    assert task_scope(fresh(gubernur_office)) == before
    ActorRelation.objects.create(source=kmw, target=gubernur, relation=ActorRelation.Relation.SUPERVISED_BY)
    after = task_scope(fresh(gubernur_office))
    assert after == task_scope_reference(fresh(gubernur_office))
    assert actor("kmw", "33").pk in after[1]
    assert actor("kmw", "34").pk not in after[1]


# A term relative to the actor's own date: (start offset, end offset) in days.
TERMS = {"current": (-30, None), "ends today": (-30, 0), "ended yesterday": (-30, -1), "starts tomorrow": (1, None)}


@pytest.mark.django_db
def test_any_set_of_memberships_and_groups_gives_the_same_scope_as_the_orm_definition():
    """Property: a user with any mix of memberships (several provinces,
    national actors, supervisors and supervised; current, ended yesterday,
    starting tomorrow), in the groups of some of them (the reconcile may not
    have run) gets from the SQL exactly the scope the ORM definition gives,
    and only the groups of terms in force today count."""
    actors = list(Actor.objects.select_related("province").order_by("pk"))
    position = Position.objects.order_by("pk").first()
    seats = st.tuples(st.sampled_from(actors), st.sampled_from(sorted(TERMS)), st.booleans())

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(seats, max_size=6, unique_by=lambda seat: seat[0].pk))
    def check(picked):
        with transaction.atomic():
            user = UserFactory()
            rows = []
            for a, term, _in_group in picked:
                today = clock.local_today(a.province)
                start, end = TERMS[term]
                rows.append(
                    Membership(
                        user=user,
                        actor=a,
                        position=position,
                        start_date=today + datetime.timedelta(days=start),
                        end_date=None if end is None else today + datetime.timedelta(days=end),
                    )
                )
            Membership.objects.bulk_create(rows)
            user.groups.add(*[a.group_id for a, _term, in_group in picked if in_group])
            got = task_scope(fresh(user))
            assert got == task_scope_reference(fresh(user))
            counted = {a for a, term, in_group in picked if in_group and term in ("current", "ends today")}
            assert set(got[0]) == {a.group_id for a in counted}
            assert set(got[1]) >= {a.pk for a in counted}
            assert set(got.own) == {a.pk for a in counted}
            transaction.set_rollback(True)

    check()


def test_an_ended_or_future_term_gives_no_scope_although_the_group_is_not_synced_yet(db):
    """The auth group is the reconcile's mirror; the scope reads the terms."""
    pjoprov = actor("pjoprov", "33")
    today = pjoprov.province.today()
    ended = member("pjoprov", "33", start=today - datetime.timedelta(days=30), end=today - datetime.timedelta(days=1))
    future = member("pjoprov", "33", start=today + datetime.timedelta(days=1))
    for user in (ended, future):
        user.groups.add(pjoprov.group)  # as if the hourly reconcile had not run
        assert task_scope(fresh(user)) == ([], [], set(), [])
        assert task_scope_reference(fresh(user)) == ([], [], set(), [])


@pytest.mark.parametrize("persona", ["gubernur_office", "seknas_user", "pjoprov_member"])
def test_the_scope_names_its_actors_as_the_model_does(persona, request):
    user = fresh(request.getfixturevalue(persona))
    names = scope_actor_names(user)
    actors = Actor.objects.filter(pk__in=task_scope(user)[1]).select_related("kind", "province")
    assert names == {a.pk: a.name for a in actors}
    assert len(names) >= 1


def test_nobody_is_named_for_anonymous():
    from django.contrib.auth.models import AnonymousUser

    assert scope_actor_names(AnonymousUser()) == {}
