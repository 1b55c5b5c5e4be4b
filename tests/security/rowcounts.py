"""Row counts of every table (every installed model), to prove that a
refused or malformed request wrote nothing anywhere."""

from django.apps import apps
from django.db import connection

# django_session: a request may rotate or touch its own session row; that
# is the login machinery, not the data the request tried to change.
IGNORED = {"sessions.session"}


def _tables():
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in IGNORED or model._meta.proxy or not model._meta.managed:
            continue
        tables[label] = model._meta.db_table
    return tables


def row_counts():
    """{app_label.model: rows}, in one round trip."""
    tables = _tables()
    q = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {q(t)})" for t in tables.values())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed(before, after):
    return {k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)}
