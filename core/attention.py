"""Counting several things in one query: the badges of the navigation."""

from django.db.models import F, Func, IntegerField, Subquery
from django.db.models.functions import Coalesce


def count_subquery(queryset):
    """`SELECT COUNT(id) FROM (...)` as an expression usable in annotate()."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def count_all(anchor, querysets):
    """{name: count} for every queryset, in one round trip. `anchor` is any
    queryset of exactly one row (e.g. the current user) to hang them on."""
    if not querysets:
        return {}
    annotations = {f"n_{name}": count_subquery(qs) for name, qs in querysets.items()}
    row = anchor.annotate(**annotations).values(*annotations).get()
    return {name: row[f"n_{name}"] for name in querysets}
