"""The task list as the person sees it, rendered from templates
(duties/task_list.html, one duties/_task_row.html per row): the column
names in the head and on each row for the phone's cards, in the person's
language, the empty states, paging that keeps the filter, and a fixed number
of queries whatever the page size."""

import re

import pytest
from django.urls import reverse

from duties import views
from tests.duties.test_task_pages import make_adhoc

URL = reverse("duties:task_list")
COLUMNS = ["Pelaku", "Periode", "Tenggat", "Penanggung jawab", "Status"]


def rows(html):
    return re.findall(r"<tr(?: class=\"is-overdue\")?><td>.*?</tr>", html, re.S)


def test_every_row_names_its_columns_for_the_phones_cards(login, pjoprov_member):
    make_adhoc(pjoprov_member, 2)
    html = login(pjoprov_member).get(URL).content.decode()
    assert len(rows(html)) == 2
    for row in rows(html):
        assert re.findall(r'<td data-label="([^"]*)">', row) == COLUMNS
        assert ">PjOProv Jawa Tengah</td>" in row and "PjOProv-3 · Ad hoc" in row
    head = re.search(r"<thead>.*?</thead>", html, re.S).group(0)
    assert re.findall(r'<th scope="col">([^<]*)</th>', head) == ["Tugas", *COLUMNS]


def test_the_column_names_and_words_follow_the_persons_language(login, pjoprov_member):
    make_adhoc(pjoprov_member, 1)
    client = login(pjoprov_member)
    client.cookies["django_language"] = "en"
    (row,) = rows(client.get(URL).content.decode())
    english = ["Actors", "Period", "Due date", "Assignee", "Status"]
    assert re.findall(r'<td data-label="([^"]*)">', row) == english
    assert '<span class="pill">Open</span>' in row


def test_an_empty_own_list_says_so_and_offers_ad_hoc_tasks(login, pjoprov_member):
    html = login(pjoprov_member).get(URL).content.decode()
    assert "Tidak ada tugas terbuka" in html and "tugas ad hoc" in html
    assert "<table" not in html and "Menampilkan tugas yang masih terbuka" in html


def test_a_filter_that_matches_nothing_says_so(login, pjoprov_member):
    make_adhoc(pjoprov_member, 1)
    html = login(pjoprov_member).get(URL, {"status": "selesai"}).content.decode()
    assert "Tidak ada tugas yang cocok dengan saringan" in html
    assert "Menampilkan tugas yang masih terbuka" not in html and not rows(html)


def test_pages_keep_the_filter_and_the_last_has_the_rest(login, pjoprov_member, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    make_adhoc(pjoprov_member, 5)
    client = login(pjoprov_member)
    html = client.get(URL, {"status": "terbuka"}).content.decode()
    assert len(rows(html)) == 2 and "Halaman 1 dari 3" in html
    assert 'href="?status=terbuka&amp;page=2">Berikutnya' in html
    html = client.get(URL, {"status": "terbuka", "page": "3"}).content.decode()
    assert len(rows(html)) == 1 and 'href="?status=terbuka&amp;page=2">« Sebelumnya' in html


@pytest.mark.parametrize("page_size", [2, 25])
def test_the_list_makes_six_queries_whatever_the_page_size(
    login, pjoprov_member, monkeypatch, page_size, django_assert_num_queries
):
    """The session, the user, the scope (one statement), the duties of the
    filter and the rows, the page of ids with its total, and the page's rows
    with their assignees; the navigation's badges are kept (see below)."""
    monkeypatch.setattr(views, "PAGE_SIZE", page_size)
    make_adhoc(pjoprov_member, 20)
    client = login(pjoprov_member)
    client.get(URL)  # keeps the navigation's badges and the permission ids
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert len(rows(response.content.decode())) == min(page_size, 20)
