"""Row counts of every table (every installed model), to prove that a
refused or malformed request wrote nothing anywhere."""

from django.apps import apps

# django_session: a request may rotate or touch its own session row; that
# is the login machinery, not the data the request tried to change.
IGNORED = {"sessions.session"}


def row_counts():
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in IGNORED or model._meta.proxy or not model._meta.managed:
            continue
        counts[label] = model._base_manager.count()
    return counts


def changed(before, after):
    return {k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)}
