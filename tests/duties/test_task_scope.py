"""`task_scope` is one SQL statement (it runs on every task list); these
tests hold it to its ORM definition, `task_scope_reference`, and to what the
source document says about who supervises whom."""

import hypothesis.strategies as st
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings

from actors.models import Actor, ActorRelation, User
from duties.permissions import scope_actor_names, task_scope, task_scope_reference
from tests.factories import UserFactory, actor


def fresh(user):
    """The scope is kept on the user object; a new object asks again."""
    return User.objects.get(pk=user.pk)


def kinds_of(scope):
    _groups, _actors, kind_ids = scope
    return set(Actor.objects.filter(kind_id__in=kind_ids).values_list("kind__code", flat=True).distinct())


PERSONAS = ["pjoprov_member", "colleague", "outsider", "gubernur_office", "seknas_user"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_sql_gives_what_the_orm_definition_gives(persona, request):
    user = fresh(request.getfixturevalue(persona))
    assert task_scope(user) == task_scope_reference(fresh(user))


def test_the_governors_office_sees_the_teams_that_answer_to_it_in_its_own_province(gubernur_office):
    groups, actors, _kinds = scope = task_scope(fresh(gubernur_office))
    assert groups == [actor("gubernur", "33").group_id]
    # From the seed: TKPKD, TK PNPM-MP and PjOProv answer to the Gubernur; KMW does not.
    assert kinds_of(scope) == {"gubernur", "tkpkd", "tk-provinsi", "pjoprov"}
    assert set(Actor.objects.filter(pk__in=actors).values_list("province__code", flat=True)) == {"33"}


def test_a_member_sees_only_their_own_actor(pjoprov_member):
    groups, actors, _kinds = task_scope(fresh(pjoprov_member))
    assert groups == [actor("pjoprov", "33").group_id]
    assert actors == [actor("pjoprov", "33").pk]


def test_a_user_without_an_actor_has_an_empty_scope(db):
    assert task_scope(fresh(UserFactory())) == ([], [], set())


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


@pytest.mark.django_db
def test_any_set_of_groups_gives_the_same_scope_as_the_orm_definition():
    """Property: a user in any mix of actor groups (several provinces,
    national actors, supervisors and supervised) gets from the SQL exactly
    the scope the ORM definition gives."""
    actors = list(Actor.objects.order_by("pk").values_list("pk", "group_id"))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.sampled_from(actors), max_size=6, unique=True))
    def check(picked):
        with transaction.atomic():
            user = UserFactory()
            user.groups.add(*[group_id for _pk, group_id in picked])
            got = task_scope(fresh(user))
            assert got == task_scope_reference(fresh(user))
            assert set(got[0]) == {group_id for _pk, group_id in picked}
            assert set(got[1]) >= {pk for pk, _group in picked}
            transaction.set_rollback(True)

    check()


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
