"""Keyboard and screen-reader basics on the main pages: a skip link to the
main landmark, a labelled navigation with the current page marked, badges
that say what they count, every form field with a label."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from home.reconcile import run_schedule
from tests.factories import actor

pytestmark = pytest.mark.django_db


class Fields(HTMLParser):
    """Collects form fields and the ids that labels point at."""

    def __init__(self):
        super().__init__()
        self.fields, self.labelled, self.label_depth = [], set(), 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self.label_depth += 1
            if a.get("for"):
                self.labelled.add(a["for"])
        if tag in ("input", "select", "textarea"):
            if a.get("type") in ("hidden", "submit", "button"):
                return
            self.fields.append((a, self.label_depth > 0))

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1

    def unlabelled(self):
        return [
            a.get("name") or a.get("id")
            for a, wrapped in self.fields
            if not wrapped
            and a.get("id") not in self.labelled
            and not a.get("aria-label")
            and not a.get("aria-labelledby")
        ]


def unlabelled_fields(page):
    parser = Fields()
    parser.feed(page)
    return parser.unlabelled()


@pytest.fixture
def scheduled(db):
    run_schedule(on=datetime.date(2026, 10, 12))


def test_every_page_has_a_skip_link_a_main_landmark_and_a_labelled_nav(login, pjoprov_member):
    page = login(pjoprov_member).get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
    assert '<nav class="mainnav" id="mainnav" aria-label="Navigasi utama">' in page
    assert 'aria-controls="mainnav"' in page  # the phone menu button
    assert f'<a href="{reverse("home")}" aria-current="page">' in page
    assert page.count('aria-current="page"') == 1


def test_the_active_section_is_marked_on_a_sub_page(login, pjoprov_member):
    page = login(pjoprov_member).get(reverse("duties:task_create")).content.decode()
    assert f'<a href="{reverse("duties:task_list")}" aria-current="page">' in page


def test_a_nav_badge_says_what_it_counts(scheduled, login, pjoprov_member):
    from duties.models import Task

    Task.objects.filter(actor=actor("pjoprov")).update(due_date=datetime.date(2000, 1, 1))
    overdue = Task.objects.filter(actor=actor("pjoprov")).open().count()
    page = login(pjoprov_member).get("/").content.decode()
    badge = f'<span class="badge" aria-hidden="true">{overdue}</span>'
    assert f'{badge}<span class="sr-only">({overdue} tugas terlambat)</span>' in page


@pytest.mark.parametrize(
    "url",
    [
        "/",
        reverse("duties:task_list"),
        reverse("duties:task_create"),
        reverse("meetings:meeting_list"),
        reverse("meetings:calendar"),
        reverse("reports:report_list"),
        reverse("appointments:proposal_list"),
        reverse("appointments:proposal_create"),
    ],
)
def test_form_fields_on_the_main_pages_have_labels(scheduled, login, pjoprov_member, url):
    response = login(pjoprov_member).get(url)
    assert response.status_code == 200
    assert unlabelled_fields(response.content.decode()) == []


def test_form_fields_on_detail_pages_have_labels(scheduled, login, pjoprov_member):
    from meetings.models import Meeting

    c = login(pjoprov_member)
    task = actor("pjoprov").tasks.order_by("id").first()
    meeting = Meeting.objects.filter(actor=actor("pjoprov")).order_by("starts_at").first()
    for url in (
        reverse("duties:task_detail", args=[task.pk]),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:attendance", args=[meeting.pk]),
        reverse("meetings:minutes_edit", args=[meeting.pk]),
    ):
        response = c.get(url)
        assert response.status_code == 200, url
        assert unlabelled_fields(response.content.decode()) == [], url


def test_the_national_matrix_filters_are_labelled(login, seknas_user):
    response = login(seknas_user).get(reverse("reports:national"))
    assert unlabelled_fields(response.content.decode()) == []


def test_the_label_checker_finds_an_unlabelled_field():
    assert unlabelled_fields('<form><input type="text" name="x" id="id_x"></form>') == ["x"]
    assert unlabelled_fields('<label for="id_x">X</label><input name="x" id="id_x">') == []
