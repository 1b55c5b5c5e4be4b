"""The permission engine: the one way to ask what a user may do with objects.

Each object type that needs permissions declares a Policy in its own app's
`permissions.py` (its rules, nothing else) and registers it here:

- `grants(objects)`: which groups get which action on which objects. The
  rows are guardian object permissions on the type's direct foreign-key table
  (`grant_model`, a GroupObjectPermissionBase), always to groups, never to
  people. `sync_grants(objects)` makes the table match the rules; services call
  it in the transaction that created or changed the objects.
- `groups(user)`: the groups that count for the user now (actors.permissions:
  their actor groups of which they hold a membership in force today).
- `restrict(queryset, user, action)`: the objects the user may `action`. The
  default is "granted to one of the user's groups"; a policy narrows first
  (the task scope) or adds what no grant carries (a person invited by name),
  or, for a type without grant rows, is a condition of its own.

Callers ask through the queryset (`Task.objects.for_user(user, "view")`,
the model's queryset inheriting RestrictedQuerySet) and, for one object of a
URL, `get_for_user_or_404(queryset, user, pk, action)`: an object the user may
not view is a 404, exactly like a missing one; one they may view but not
`action` is a 403. An anonymous or inactive user may do nothing, and a
superuser is not a shortcut: the admin is the superuser's place.

This module imports no app (the layer contract in pyproject.toml).
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.http import Http404

# The actions every type has; a policy may name more (complete, review, approve).
VIEW = "view"
CHANGE = "change"

# --- permission ids --------------------------------------------------------------
#
# The grant checks filter the guardian rows by permission id. The ids are kept
# per model, like Django's own ContentType cache: the rows change only when
# migrate (or a test's flush) creates them again, and post_migrate drops what
# is kept here. A row deleted by hand outside migrate is seen after a restart.

# {"duties.task": {"view_task": 12, ...}} of this process.
_kept = {}


def permission_ids(model):
    """{codename: id} of the model's permissions."""
    label = model._meta.label_lower
    ids = _kept.get(label)
    if ids is None:
        ids = dict(
            Permission.objects.filter(
                content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
            ).values_list("codename", "id")
        )
        if ids:  # nothing is kept before migrate has made them
            _kept[label] = ids
    return ids


def permission_id(model, codename):
    """The permission's id, or None when there is no such permission (a
    filter on None matches no grant)."""
    return permission_ids(model).get(codename)


@receiver(post_migrate)
def forget_permission_ids(**kwargs):
    _kept.clear()


# --- policies ------------------------------------------------------------------


def is_active(user):
    return bool(user and user.is_authenticated and user.is_active)


class Policy:
    """One object type's rules. Subclasses set `model`, and `grant_model`
    when the type keeps guardian rows, and implement `groups`."""

    model = None
    grant_model = None
    # True: grants once given are kept when the rules no longer give them
    # (what a report version was sent to stays readable by whoever received it).
    grants_accumulate = False

    def codename(self, action):
        return f"{action}_{self.model._meta.model_name}"

    def groups(self, user):
        """The group ids (a list or a values("id") subquery) that count for the user now."""
        raise NotImplementedError

    def grants(self, objects):
        """{(object pk, group id, action)} the rules give `objects`."""
        return set()

    def granted(self, user, action, groups=None):
        """A subquery of the object ids granted `action` to the user's groups."""
        return self.grant_model.objects.filter(
            group_id__in=self.groups(user) if groups is None else groups,
            permission_id=permission_id(self.model, self.codename(action)),
        ).values("content_object_id")

    def restrict(self, queryset, user, action, **options):
        """The objects of `queryset` the (active) user may `action`."""
        return queryset.filter(pk__in=self.granted(user, action))


_policies = {}


def register(policy_class):
    """Class decorator: the policy of its `model` (one per model)."""
    model = policy_class.model
    if model in _policies and type(_policies[model]) is not policy_class:
        raise ImproperlyConfigured(f"{model._meta.label} already has a policy")
    _policies[model] = policy_class()
    return policy_class


def policy_for(model):
    model = model._meta.concrete_model
    try:
        return _policies[model]
    except KeyError:
        raise ImproperlyConfigured(f"{model._meta.label} has no registered Policy") from None


class RestrictedQuerySet(models.QuerySet):
    """The base of every queryset whose objects have a Policy."""

    def for_user(self, user, action=VIEW, **options):
        """The objects the user may `action` (VIEW, CHANGE or the policy's own)."""
        if not is_active(user):
            return self.none()
        return policy_for(self.model).restrict(self, user, action, **options)


def user_may(user, obj, action=VIEW):
    """Whether the user may `action` this object."""
    if not is_active(user):
        return False
    return type(obj)._default_manager.for_user(user, action).filter(pk=obj.pk).exists()


def get_for_user_or_404(queryset, user, pk, action=VIEW):
    """The object `pk` of `queryset` (a model or a queryset, e.g. with its
    select_related), or 404 when missing or not visible to the user, or 403
    when visible but `action` is not theirs."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        obj = queryset.for_user(user, VIEW).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if action != VIEW and not user_may(user, obj, action):
        raise PermissionDenied
    return obj


def sync_grants(objects):
    """Make the guardian rows of `objects` (of one type) match their policy's
    rules: add what is missing, remove what the rules no longer give (unless
    the policy's grants accumulate).
    Idempotent; call inside the transaction that created or changed them.
    Returns (added, removed)."""
    objects = [obj for obj in objects if obj.pk is not None]
    if not objects:
        return 0, 0
    policy = policy_for(type(objects[0]))
    ids = permission_ids(policy.model)
    wanted = {(pk, group_id, ids[policy.codename(action)]) for pk, group_id, action in policy.grants(objects)}
    rows = policy.grant_model.objects.filter(content_object_id__in=[obj.pk for obj in objects])
    actual = {
        (pk, group_id, permission): row_id
        for row_id, pk, group_id, permission in rows.values_list("pk", "content_object_id", "group_id", "permission_id")
    }
    stale = [] if policy.grants_accumulate else [row_id for key, row_id in actual.items() if key not in wanted]
    if stale:
        policy.grant_model.objects.filter(pk__in=stale).delete()
    missing = [key for key in wanted if key not in actual]
    policy.grant_model.objects.bulk_create(
        [
            policy.grant_model(content_object_id=pk, group_id=group_id, permission_id=permission)
            for pk, group_id, permission in missing
        ],
        ignore_conflicts=True,
    )
    return len(missing), len(stale)
