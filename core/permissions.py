"""Permission ids, kept in each process.

The object-permission checks (duties, meetings, reports, actors) filter the
guardian rows by permission id. The ids are kept per model, like Django's own
ContentType cache: the rows change only when migrate (or a test's flush)
creates them again, and post_migrate drops what is kept here (signal below).
A row deleted by hand outside migrate is seen after a restart.
"""

from django.contrib.auth.models import Permission
from django.db.models.signals import post_migrate
from django.dispatch import receiver

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
