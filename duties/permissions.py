"""Who may see and do what with tasks: the rules the permission engine
(core.permissions) asks: views and services ask through the engine.

Grants are guardian object permissions on direct foreign-key rows
(TaskGroupObjectPermission), given to actor groups, never to people:

- the task's own actor group: view, change, complete;
- the group of a provincial actor that the task's actor answers to in the same
  province, by the ActorRelation data "bertanggung jawab kepada", "diawasi
  kinerjanya oleh" or "ditetapkan oleh": view only. From the seed this is the
  Gubernur's office over TKPKD, TK PNPM-MP and PjOProv.

A person holds the grants only while a membership puts them in the group and
that membership is in force at request time, in the province's date
(actors.permissions.current_group_ids and the scope below): between two runs
of the reconcile, a term that ended yesterday opens nothing.
A superuser is not a shortcut here: the admin is the superuser's place.

Two locks, both required to see a task:

1. scope: the task's actor is one of the user's own actors (their groups, in term) or
   an actor those supervise in the same province (the relations above);
2. the guardian grant itself, on the task, to one of the user's groups.

Grants only ever follow the scope (TaskPolicy.grants, written by sync_grants), so the
scope never hides a granted task; it keeps a stray grant from leaking across
provinces, and it lets PostgreSQL walk the (actor, due_date) index instead of
checking the grant of every open task in the country (see `make bench`).

Access rule: a task the user may not view is a 404, exactly like a missing one;
a task they may view but not act on is a 403 on the action.
"""

from typing import NamedTuple

from django.db import connection
from django.db.models import Q

from actors.models import Actor, ActorRelation, Membership
from actors.permissions import InTermPolicy, current_group_ids
from core import clock
from core.permissions import CHANGE, VIEW, is_active, register

from .models import Task, TaskGroupObjectPermission

COMPLETE = "complete"
OWNER_ACTIONS = (VIEW, CHANGE, COMPLETE)
SUPERVISOR_RELATIONS = (
    ActorRelation.Relation.RESPONSIBLE_TO,
    ActorRelation.Relation.SUPERVISED_BY,
    ActorRelation.Relation.APPOINTED_BY,
)


def supervisor_groups_by_actor(actors):
    """{actor_id: [group_id, ...]} of the supervising actors in the same province."""
    actors = [a for a in actors if a.province_id]
    if not actors:
        return {}
    kind_ids = {a.kind_id for a in actors}
    targets = {}
    for source_id, target_id in ActorRelation.objects.filter(
        source_id__in=kind_ids, relation__in=SUPERVISOR_RELATIONS
    ).values_list("source_id", "target_id"):
        targets.setdefault(source_id, set()).add(target_id)
    province_ids = {a.province_id for a in actors}
    groups = {
        (kind_id, province_id): group_id
        for kind_id, province_id, group_id in Actor.objects.filter(province_id__in=province_ids).values_list(
            "kind_id", "province_id", "group_id"
        )
    }
    result = {}
    for a in actors:
        result[a.pk] = [
            groups[(kind_id, a.province_id)]
            for kind_id in targets.get(a.kind_id, ())
            if (kind_id, a.province_id) in groups
        ]
    return result


# The scope in one statement. Its fourth column tells the user's own actors
# (their seats: "Tugas saya") from those they oversee ("Tugas yang diawasi").
# It runs on every page that lists tasks; the same question through the ORM
# took two queries and about four times as long (mostly building and
# compiling them). tests/duties/test_task_scope.py
# checks it against `task_scope_reference` below for every user and persona.
#
# `own` is the user's actors: those whose group they are in and of which they
# hold a membership in force today, each term judged in its actor's own date
# (Membership.objects.current() in SQL: the national date for national
# actors, the zone's date for a province; as actors.permissions.
# current_group_ids). The group alone is not enough: the hourly reconcile
# only tidies it.
SCOPE_SQL = """
WITH own AS (
  SELECT oa.id, oa.kind_id, oa.province_id, oa.group_id
    FROM actors_actor oa
   WHERE oa.group_id IN (SELECT ug.group_id FROM actors_user_groups ug WHERE ug.user_id = %(user)s)
     AND oa.id IN (
         SELECT t.actor_id
           FROM (SELECT m.actor_id, m.start_date, m.end_date,
                        CASE WHEN ma.province_id IS NULL THEN %(national_today)s
                             {zones} END AS today
                   FROM actors_membership m
                   JOIN actors_actor ma ON ma.id = m.actor_id
                   LEFT JOIN actors_province mp ON mp.id = ma.province_id
                  WHERE m.user_id = %(user)s) t
          WHERE t.start_date <= t.today AND (t.end_date IS NULL OR t.end_date >= t.today))
)
SELECT a.id, a.kind_id, a.group_id,
       CASE WHEN a.id IN (SELECT own.id FROM own) THEN 1 ELSE 0 END,
       k.short_name, p.name
  FROM actors_actor a
  JOIN actors_actorkind k ON k.id = a.kind_id
  LEFT JOIN actors_province p ON p.id = a.province_id
 WHERE a.id IN (SELECT own.id FROM own)
    OR EXISTS (
       SELECT 1
         FROM actors_actorrelation r
         JOIN own ON own.kind_id = r.target_id
        WHERE r.source_id = a.kind_id
          AND r.relation IN ({relations})
          AND own.province_id = a.province_id)
""".format(
    zones="\n                             ".join(
        f"WHEN mp.timezone = %(zone{i})s THEN %(today{i})s" for i in range(len(clock.ZONES))
    ),
    relations=", ".join(f"%(relation{i})s" for i in range(len(SUPERVISOR_RELATIONS))),
)
SCOPE_PARAMS = {
    **{f"relation{i}": str(relation) for i, relation in enumerate(SUPERVISOR_RELATIONS)},
    **{f"zone{i}": zone for i, zone in enumerate(clock.ZONES)},
}


def scope_params(user):
    """SCOPE_SQL's parameters: the user and today's date in each zone."""
    adapt = connection.ops.adapt_datefield_value
    return {
        **SCOPE_PARAMS,
        **{f"today{i}": adapt(clock.local_today(zone)) for i, zone in enumerate(clock.ZONES)},
        "national_today": adapt(clock.local_today()),
        "user": user.pk,
    }


class TaskScope(NamedTuple):
    """What bounds the tasks a user may see. `actors` is every actor in scope;
    `own` the user's own actors among them (their seats): the rest are the
    actors they oversee."""

    groups: list
    actors: list
    kinds: set
    own: list

    @property
    def overseen(self):
        own = set(self.own)
        return [pk for pk in self.actors if pk not in own]


# Which of the scope's actors a list is about: all of them, the user's own
# (their "Tugas saya") or those they oversee ("Tugas yang diawasi").
ALL = "all"
OWN = "own"
OVERSEEN = "overseen"


def task_scope(user):
    """TaskScope(group ids, actor ids, actor kind ids, own actor ids) that
    bound what the user may see; computed once per user object (that is,
    once per request).

    The actors are the user's own (their groups' actors of which they hold a
    membership in force today: grants only ever go to actor groups, so these
    are all the groups that matter) and the actors
    of the same province whose kind answers to an own actor's kind."""
    cached = getattr(user, "_task_scope", None)
    if cached is not None:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(SCOPE_SQL, scope_params(user))
        rows = cursor.fetchall()
    user._task_scope = TaskScope(
        sorted(group for _pk, _kind, group, own, *_names in rows if own),
        sorted(pk for pk, *_rest in rows),
        {kind for _pk, kind, *_rest in rows},
        sorted(pk for pk, _kind, _group, own, *_names in rows if own),
    )
    # The same statement names the actors, for lists that show them, and
    # gives their kinds, for the filters of the own and the overseen lists.
    user._task_actor_names = {pk: Actor.name_for(kind, province) for pk, *_rest, kind, province in rows}
    user._task_actor_kinds = {pk: kind for pk, kind, *_rest in rows}
    return user._task_scope


def scope_actor_names(user):
    """{actor id: "PjOProv Jawa Tengah"} of every actor in the user's scope."""
    if not is_active(user):
        return {}
    task_scope(user)
    return user._task_actor_names


def scope_actors(user, reach=ALL):
    """The actor ids of the user's scope that `reach` names (ALL, OWN, OVERSEEN)."""
    if not is_active(user):
        return []
    scope = task_scope(user)
    if reach == OWN:
        return scope.own
    if reach == OVERSEEN:
        return scope.overseen
    return scope.actors


def oversees_anything(user):
    """Whether the user's scope holds actors other than their own."""
    return bool(scope_actors(user, OVERSEEN))


def task_scope_reference(user):
    """`task_scope` through the ORM: slower, kept as the definition the SQL is
    tested against."""
    current = Membership.objects.current().filter(user_id=user.pk).values("actor_id")
    own = list(
        Actor.objects.filter(group__user=user, pk__in=current).values_list("pk", "kind_id", "province_id", "group_id")
    )
    actors = {pk: kind_id for pk, kind_id, _province, _group in own}
    supervised = Q()
    for _pk, kind_id, province_id, _group in own:
        if province_id:
            supervised |= Q(
                province_id=province_id,
                kind__relations_out__target_id=kind_id,
                kind__relations_out__relation__in=SUPERVISOR_RELATIONS,
            )
    if supervised:
        actors.update(Actor.objects.filter(supervised).distinct().values_list("pk", "kind_id"))
    return TaskScope(
        sorted(group for *_rest, group in own),
        sorted(actors),
        set(actors.values()),
        sorted(pk for pk, *_rest in own),
    )


@register
class TaskPolicy(InTermPolicy):
    """Tasks: the owner actor's group views, changes and completes; the groups
    of the actors it answers to view. Seen only through the scope first."""

    model = Task
    grant_model = TaskGroupObjectPermission

    def groups(self, user):
        return task_scope(user).groups

    def grants(self, tasks):
        actors = {t.actor_id: t.actor for t in tasks}
        supervisors = supervisor_groups_by_actor(actors.values())
        rows = set()
        for task in tasks:
            actor = actors[task.actor_id]
            rows.update((task.pk, actor.group_id, action) for action in OWNER_ACTIONS)
            rows.update((task.pk, group_id, VIEW) for group_id in supervisors.get(actor.pk, ()))
        return rows

    def restrict(self, queryset, user, action, reach=ALL):
        """In the scope (the actors `reach` names: ALL, OWN "Tugas saya",
        OVERSEEN "Tugas yang diawasi") and granted to one of the user's groups."""
        actor_ids = scope_actors(user, reach)
        if not actor_ids:
            return queryset.none()
        return queryset.filter(actor_id__in=actor_ids, pk__in=self.granted(user, action))


def visible_task_kind_ids(user, reach=ALL):
    """Actor kinds whose tasks the user may see (for filter choices); `reach`
    as in tasks_for_user."""
    if not is_active(user):
        return set()
    if reach == ALL:
        return task_scope(user).kinds
    return {user._task_actor_kinds[pk] for pk in scope_actors(user, reach)}


def actors_user_can_create_tasks_for(user):
    """Actors where the user holds a current membership and that have duties:
    ad-hoc tasks go under one of their duties."""
    if not is_active(user):
        return Actor.objects.none()
    return (
        Actor.objects.filter(group__in=current_group_ids(user), kind__duties__isnull=False)
        .distinct()
        .select_related("kind", "province")
    )
