"""Pagination for permission-filtered lists.

Sorting and limiting a wide join (task + duty + actor + province + user) makes
PostgreSQL join every visible row before it sorts. `paginate_ids` pages over
the ids only (a narrow query the planner sorts cheaply), then loads the rows
of the page with their related objects: one more query, of at most PAGE rows.
The ids come with the total (`COUNT(*) OVER ()`), so a page in range costs
two queries, not three; the first page of an empty list, one; only a page
past the end also counts on its own (and a page number too large for an
OFFSET goes straight to that count).
"""

from django.core.paginator import Paginator
from django.db.models import Count, Window

# Rows per page of every paged list (tasks, proposals, meetings, reports, the inbox).
PAGE_SIZE = 25

# No list of this app comes near this many rows: a page starting past it is
# past the end, and is found the way Paginator.get_page finds it (a count,
# then the last page), so an absurd page number (9223372036854775807, 10**30)
# never reaches the database as an OFFSET out of the range of a bigint.
MAX_OFFSET = 2**31 - 1


def _page_number(value, per_page):
    """The page number to fetch by offset: 1 for a value that is not a number
    (as get_page), None for one that needs the count first (below 1, or so
    large that its offset is past any list)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    if number < 1 or (number - 1) * per_page > MAX_OFFSET:
        return None
    return number


def paginate_ids(queryset, ordering, page_number, per_page, load):
    """Page `queryset` (not distinct) by `ordering`; `load(ids)` returns the
    page's objects (e.g. with select_related). Returns a Page whose
    object_list keeps the order. Like Paginator.get_page, a page number that
    is not a number gives the first page, one out of range the last."""
    ordered = queryset.order_by(*ordering)
    paginator = Paginator(ordered.values_list("pk", flat=True), per_page)
    number = _page_number(page_number, per_page)
    rows = []
    if number is not None:
        offset = (number - 1) * per_page
        rows = list(
            ordered.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")[offset : offset + per_page]
        )
    if rows:
        paginator.count = rows[0][1]
        page = paginator.page(number)
        ids = [pk for pk, _total in rows]
    elif number == 1:
        # Nothing from the start: the list is empty, no need to count it.
        paginator.count = 0
        page = paginator.page(1)
        ids = []
    else:
        page = paginator.get_page(page_number)
        ids = list(page.object_list)
    by_id = {obj.pk: obj for obj in load(ids)} if ids else {}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page
