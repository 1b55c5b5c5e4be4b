"""Who may see and do what with tasks. Every view and service goes through here.

Grants are guardian object permissions on direct foreign-key rows
(TaskGroupObjectPermission), given to actor groups, never to people:

- the task's own actor group: view, change, complete;
- the group of a provincial actor that the task's actor answers to in the same
  province, by the ActorRelation data "bertanggung jawab kepada", "diawasi
  kinerjanya oleh" or "ditetapkan oleh": view only. From the seed this is the
  Gubernur's office over TKPKD, TK PNPM-MP and PjOProv.

A person holds the grants only while a membership puts them in the group.
A superuser is not a shortcut here: the admin is the superuser's place.

Access rule: a task the user may not view is a 404, exactly like a missing one;
a task they may view but not act on is a 403 on the action.
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Subquery
from django.http import Http404

from actors.models import Actor, ActorRelation

from .models import Task, TaskGroupObjectPermission

VIEW = "view_task"
CHANGE = "change_task"
COMPLETE = "complete_task"
OWNER_PERMS = (VIEW, CHANGE, COMPLETE)
SUPERVISOR_RELATIONS = (
    ActorRelation.Relation.RESPONSIBLE_TO,
    ActorRelation.Relation.SUPERVISED_BY,
    ActorRelation.Relation.APPOINTED_BY,
)


def _permission_ids():
    return dict(
        Permission.objects.filter(content_type__app_label="duties", content_type__model="task").values_list(
            "codename", "id"
        )
    )


def _perm_subquery(codename):
    return Subquery(
        Permission.objects.filter(
            codename=codename, content_type__app_label="duties", content_type__model="task"
        ).values("id")[:1]
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


def grant_task_permissions(tasks):
    """Create the guardian rows for new tasks (idempotent: existing rows are
    skipped by the unique constraint). Call inside the creating transaction."""
    tasks = list(tasks)
    if not tasks:
        return 0
    perm_ids = _permission_ids()
    actors = {t.actor_id: t.actor for t in tasks}
    supervisors = supervisor_groups_by_actor(actors.values())
    rows = []
    for task in tasks:
        actor = actors[task.actor_id]
        for codename in OWNER_PERMS:
            rows.append(
                TaskGroupObjectPermission(
                    group_id=actor.group_id, permission_id=perm_ids[codename], content_object_id=task.pk
                )
            )
        for group_id in supervisors.get(actor.pk, ()):
            rows.append(
                TaskGroupObjectPermission(group_id=group_id, permission_id=perm_ids[VIEW], content_object_id=task.pk)
            )
    TaskGroupObjectPermission.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def grant_task_view(tasks, group_ids):
    """Let extra groups view the tasks (e.g. the actor that held the meeting a
    follow-up task came from). Idempotent; call inside the creating transaction."""
    perm_id = _permission_ids()[VIEW]
    rows = [
        TaskGroupObjectPermission(group_id=group_id, permission_id=perm_id, content_object_id=task.pk)
        for task in tasks
        for group_id in group_ids
    ]
    TaskGroupObjectPermission.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _granted_task_ids(user, perm):
    return TaskGroupObjectPermission.objects.filter(
        group__in=user.groups.values("id"), permission_id=_perm_subquery(perm)
    ).values("content_object_id")


def tasks_for_user(user, perm=VIEW, queryset=None):
    """Every task the user holds `perm` on, through their groups. One query,
    served by guardian's (group, permission, content_object) unique index."""
    queryset = queryset if queryset is not None else Task.objects.all()
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    return queryset.filter(pk__in=_granted_task_ids(user, perm))


def user_has_task_perm(user, task, perm):
    if not (user.is_authenticated and user.is_active):
        return False
    return _granted_task_ids(user, perm).filter(content_object_id=task.pk).exists()


def get_task_for_user(user, pk, perm=VIEW, queryset=None):
    """The task, or 404 when missing or not visible, or 403 when visible but
    `perm` is not held."""
    base = queryset if queryset is not None else Task.objects.select_related("duty__kind", "actor__kind")
    try:
        task = tasks_for_user(user, VIEW, base).get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if perm != VIEW and not user_has_task_perm(user, task, perm):
        raise PermissionDenied
    return task


def visible_task_kind_ids(user):
    """Actor kinds whose tasks the user may see: their own actors' kinds and
    the kinds that answer to them (for filters and choices, not for access)."""
    own = set(Actor.objects.filter(group__in=user.groups.values("id")).values_list("kind_id", flat=True))
    supervised = ActorRelation.objects.filter(target_id__in=own, relation__in=SUPERVISOR_RELATIONS).values_list(
        "source_id", flat=True
    )
    return own | set(supervised)


def actors_user_can_create_tasks_for(user):
    """Actors whose group the user is in: ad-hoc tasks go under their duties."""
    if not (user.is_authenticated and user.is_active):
        return Actor.objects.none()
    return Actor.objects.filter(group__in=user.groups.values("id")).select_related("kind", "province")
