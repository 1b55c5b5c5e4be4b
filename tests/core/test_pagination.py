"""paginate_ids: the page in range costs two queries (ids with the total, then
the rows); out-of-range and malformed page numbers behave like Django's
Paginator.get_page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import paginate_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    Group.objects.bulk_create(Group(name=f"zz-page-{i:02d}") for i in range(23))
    return Group.objects.filter(name__startswith="zz-page-")


def load(ids):
    return Group.objects.filter(pk__in=ids)


HUGE = ["2147483648", "9223372036854775807", "9223372036854775808", str(10**30), "-9223372036854775809"]


@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "4", "99", "0", "-1", "x", "2.5", "1e3", *HUGE])
def test_pages_match_djangos_paginator(groups, number):
    page = paginate_ids(groups, ("-name", "id"), number, 10, load)
    expected = Paginator(groups.order_by("-name", "id"), 10).get_page(number)
    assert page.number == expected.number
    assert page.paginator.count == 23
    assert page.paginator.num_pages == 3
    assert [g.name for g in page.object_list] == [g.name for g in expected.object_list]


def test_a_page_in_range_costs_two_queries(groups, django_assert_num_queries):
    with django_assert_num_queries(2):
        page = paginate_ids(groups, ("name",), "2", 10, load)
        assert len(page.object_list) == 10 and page.has_next() and page.has_previous()


def test_an_empty_list_is_one_empty_page(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        page = paginate_ids(Group.objects.none(), ("name",), "3", 10, load)
    assert page.number == 1 and page.object_list == [] and page.paginator.count == 0


@pytest.mark.parametrize("number", [None, "1", "x", "5"])
def test_the_first_page_of_an_empty_list_costs_one_query(db, django_assert_num_queries, number):
    empty = Group.objects.filter(name__startswith="zz-none-")
    # A page past the end of an empty list also counts, like Django's paginator.
    with django_assert_num_queries(1 if number != "5" else 2):
        page = paginate_ids(empty, ("name",), number, 10, load)
    assert page.number == 1 and page.object_list == [] and page.paginator.count == 0
    assert not page.has_next() and not page.has_previous() and page.paginator.num_pages == 1


@pytest.mark.parametrize("number", HUGE)
def test_an_absurd_page_number_never_reaches_the_database_as_an_offset(groups, number):
    # PostgreSQL refuses an OFFSET beyond a bigint ("bigint out of range"):
    # such a page is past the end, found by counting, as Paginator.get_page.
    with CaptureQueriesContext(connection) as queries:
        page = paginate_ids(groups, ("name",), number, 10, load)
    assert page.number == 3  # the last page, as get_page
    offsets = [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]
    assert all(n < 2**31 for n in offsets), offsets
