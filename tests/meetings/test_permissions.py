"""Permission matrix of the meeting URLs: the holding actor edits, invitees
view, the Governor's office views TK meetings of its province, nobody outside
the province sees anything (404, like a missing meeting); refusals change
nothing."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import member

from .conftest import make_meeting, snapshot

pytestmark = pytest.mark.django_db

PAGES = ["meeting_detail", "meeting_edit", "attendance", "minutes_edit"]
ACTIONS = [
    ("meeting_hold", {"date": "2025-03-04", "start_time": "09:00", "end_time": "11:00"}),
    ("meeting_postpone", {"date": "2031-01-07", "start_time": "09:00", "end_time": "11:00", "reason": "x"}),
    ("meeting_cancel", {"reason": "x"}),
    ("agenda_add", {"title": "Butir baru"}),
    ("minutes_approve", {}),
    ("minutes_correct", {"reason": "x"}),
    ("follow_up_add", {"title": "x", "due_date": "2025-04-01"}),
    ("attachment_add", {"kind": "foto"}),
]


@pytest.fixture
def personas(pjoprov_member, colleague, outsider, gubernur_office, seknas_user, tk_member, tkpkd_member):
    return {
        "pjoprov": pjoprov_member,
        "kmw": colleague,
        "tk": tk_member,
        "tkpkd": tkpkd_member,
        "gubernur": gubernur_office,
        "outsider": outsider,
        "seknas": seknas_user,
    }


def url(name, meeting):
    return reverse(f"meetings:{name}", args=[meeting.pk])


# who sees the routine meeting of PjOProv Jawa Tengah (invites TK and KMW)
ROUTINE_VIEW = {"pjoprov": 200, "kmw": 200, "tk": 200, "tkpkd": 404, "gubernur": 404, "outsider": 404, "seknas": 404}
# who sees the evaluation meeting of TK Jawa Tengah (invites PjOProv, KMW, TKPKD; Gubernur oversees TK)
EVALUATION_VIEW = {"tk": 200, "pjoprov": 200, "kmw": 200, "tkpkd": 200, "gubernur": 200, "outsider": 404, "seknas": 404}


@pytest.mark.parametrize(("who", "expected"), ROUTINE_VIEW.items())
def test_routine_meeting_detail_by_persona(login, personas, who, expected):
    meeting = make_meeting("pjoprov", "33")
    assert login(personas[who]).get(url("meeting_detail", meeting)).status_code == expected


@pytest.mark.parametrize(("who", "expected"), EVALUATION_VIEW.items())
def test_evaluation_meeting_detail_by_persona(login, personas, who, expected):
    meeting = make_meeting("tk-provinsi", "33", "2025-Q1")
    assert login(personas[who]).get(url("meeting_detail", meeting)).status_code == expected


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("who", "expected"), [("pjoprov", 200), ("kmw", 403), ("tk", 403), ("outsider", 404)])
def test_edit_pages_are_for_the_holding_actor_only(login, personas, page, who, expected):
    meeting = make_meeting("pjoprov", "33")
    expected = 200 if page == "meeting_detail" and expected == 403 else expected
    assert login(personas[who]).get(url(page, meeting)).status_code == expected


@pytest.mark.parametrize(("action", "data"), ACTIONS)
@pytest.mark.parametrize(("who", "expected"), [("kmw", 403), ("tk", 403), ("gubernur", 404), ("outsider", 404)])
def test_actions_by_anyone_but_the_holder_are_refused_and_change_nothing(login, personas, action, data, who, expected):
    meeting = make_meeting("pjoprov", "33")
    before = snapshot()
    assert login(personas[who]).post(url(action, meeting), data).status_code == expected
    assert snapshot() == before


def test_the_governors_office_views_but_cannot_edit_tk_meetings(login, gubernur_office, tk_member):
    meeting = make_meeting("tk-provinsi", "33", "2025-Q1")
    c = login(gubernur_office)
    assert c.get(url("meeting_detail", meeting)).status_code == 200
    before = snapshot()
    assert c.post(url("meeting_cancel", meeting), {"reason": "x"}).status_code == 403
    assert snapshot() == before


def test_a_missing_meeting_is_404_like_a_hidden_one(login, pjoprov_member):
    assert login(pjoprov_member).get(reverse("meetings:meeting_detail", args=[999999])).status_code == 404


def test_anonymous_users_are_sent_to_login():
    from django.test import Client

    meeting = make_meeting("pjoprov", "33")
    response = Client().get(url("meeting_detail", meeting))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_person_invited_by_name_views_the_meeting_while_a_member_in_the_province(login, pjoprov_member):
    from meetings import services

    meeting = make_meeting("pjoprov", "33")
    guest = member("gubernur", "33", username="guest")
    c = login(guest)
    assert c.get(url("meeting_detail", meeting)).status_code == 404
    services.do_update_meeting(
        user=pjoprov_member,
        meeting=meeting,
        title=meeting.title,
        location=meeting.location,
        chair=meeting.chair,
        invited_actors=list(meeting.invited_actors.all()),
        invited_people=[guest],
    )
    assert c.get(url("meeting_detail", meeting)).status_code == 200
    assert c.get(url("meeting_edit", meeting)).status_code == 403
    guest.memberships.update(end_date=datetime.date(2001, 1, 1))
    assert c.get(url("meeting_detail", meeting)).status_code == 404


def test_uninviting_an_actor_takes_its_view_away(login, pjoprov_member, colleague):
    from meetings import services

    meeting = make_meeting("pjoprov", "33")
    assert login(colleague).get(url("meeting_detail", meeting)).status_code == 200
    services.do_update_meeting(
        user=pjoprov_member,
        meeting=meeting,
        title=meeting.title,
        location=meeting.location,
        chair=meeting.chair,
        invited_actors=[a for a in meeting.invited_actors.all() if a.kind.code != "kmw"],
        invited_people=[],
    )
    assert login(colleague).get(url("meeting_detail", meeting)).status_code == 404


def test_a_superuser_is_not_a_shortcut_outside_the_admin(login):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    meeting = make_meeting("pjoprov", "33")
    assert login(admin).get(url("meeting_detail", meeting)).status_code == 404


def test_the_list_shows_exactly_what_the_detail_page_allows(login, personas):
    make_meeting("pjoprov", "33")
    make_meeting("tk-provinsi", "33", "2025-Q1")
    make_meeting("pjoprov", "34")
    for who, user in personas.items():
        listed = set(Meeting.objects.for_user(user).values_list("pk", flat=True))
        for meeting in Meeting.objects.all():
            status = login(user).get(url("meeting_detail", meeting)).status_code
            assert (meeting.pk in listed) == (status == 200), (who, meeting)


def test_the_meeting_list_query_count_does_not_grow_with_meetings(login, pjoprov_member, django_assert_max_num_queries):
    make_meeting("pjoprov", "33", "2025-01")
    c = login(pjoprov_member)
    with django_assert_max_num_queries(12) as few:
        assert c.get(reverse("meetings:meeting_list")).status_code == 200
    for period in ("2025-02", "2025-03", "2025-04", "2031-01", "2031-02", "2031-03"):
        make_meeting("pjoprov", "33", period)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = c.get(reverse("meetings:meeting_list")).content.decode()
    assert page.count("/rapat/") >= 7
