"""Pagination for permission-filtered lists.

Sorting and limiting a wide join (task + duty + actor + province + user) makes
PostgreSQL join every visible row before it sorts. `paginate_ids` pages over
the ids only (a narrow query the planner sorts cheaply), then loads the rows
of the page with their related objects: one more query, of at most PAGE rows.
"""

from django.core.paginator import Paginator


def paginate_ids(queryset, ordering, page_number, per_page, load):
    """Page `queryset` by `ordering`; `load(ids)` returns the page's objects
    (e.g. with select_related). Returns a Page whose object_list keeps the order."""
    page = Paginator(queryset.order_by(*ordering).values_list("pk", flat=True), per_page).get_page(page_number)
    ids = list(page.object_list)
    by_id = {obj.pk: obj for obj in load(ids)}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page
