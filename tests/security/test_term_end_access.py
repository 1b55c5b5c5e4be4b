"""Access ends with the term (issue 19, finding 6).

Object permissions are granted to actor groups, and the hourly reconcile
(actors.services.sync_actor_groups) moves people in and out of the groups.
Between two runs a person whose term ended yesterday is still in the group:
the access helpers must read the membership's dates at request time (in the
province's date), so such a person gets a 404 on the actor's task, proposal,
report, version and meeting, exactly like a stranger; a term that starts
tomorrow likewise; a current member still gets a 200.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from core import clock
from duties.models import Task
from meetings.models import Meeting
from reports.models import Report
from reports.permissions import is_national_viewer
from tests.factories import actor, member
from tests.security.world import build, frozen_clock, people

pytestmark = pytest.mark.django_db

PAGES = {
    "member": [
        ("duties:task_detail", "task"),
        ("reports:report_detail", "report"),
        ("reports:version_detail", "version"),
        ("meetings:meeting_detail", "meeting"),
        ("appointments:proposal_detail", "proposal"),
    ],
    "gubernur": [("appointments:proposal_detail", "proposal"), ("duties:task_detail", "task")],
}
DECISIONS = ("appointments:proposal_approve", "appointments:proposal_return", "appointments:proposal_reject")


@pytest.fixture
def world():
    with frozen_clock():
        users = people()
        yield users, build(users)


def unsynced(kind, term, **fields):
    """A member of `kind` in Jawa Tengah whose term ended yesterday or starts
    tomorrow (in the province's date), still in the actor's group: the
    reconcile has not run since."""
    seat = actor(kind, "33")
    today = seat.province.today()
    if term == "ended":
        start, end = today - datetime.timedelta(days=60), today - datetime.timedelta(days=1)
    else:
        start, end = today + datetime.timedelta(days=1), None
    user = member(kind, "33", start=start, end=end, **fields)
    user.groups.add(seat.group)
    return user


def status(user, name, obj, method="get"):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return getattr(client, method)(reverse(name, args=[obj.pk]))


@pytest.mark.parametrize("term", ["ended", "starts"])
@pytest.mark.parametrize("role,kind", [("member", "pjoprov"), ("gubernur", "gubernur")])
def test_a_member_out_of_term_but_still_in_the_group_sees_nothing(world, term, role, kind):
    users, objects = world
    person = unsynced(kind, term, username=f"{kind}-{term}")
    for name, key in PAGES[role]:
        assert status(users[role], name, objects[key]).status_code == 200, (name, "current member")
        assert status(person, name, objects[key]).status_code == 404, (name, term)
    if role == "gubernur":
        for name in DECISIONS:
            assert status(person, name, objects["proposal"], "post").status_code == 404, name


def test_the_proposal_page_offers_decisions_only_within_the_term(world):
    users, objects = world
    proposal = objects["proposal"]
    current = status(users["gubernur"], "appointments:proposal_detail", proposal).content.decode()
    for name in DECISIONS:
        assert reverse(name, args=[proposal.pk]) in current
    ended = unsynced("gubernur", "ended", username="gub-ended")
    assert status(ended, "appointments:proposal_detail", proposal).status_code == 404


def test_the_helpers_count_only_current_memberships(world):
    users, objects = world
    ended = unsynced("pjoprov", "ended", username="pjo-ended")
    future = unsynced("pjoprov", "starts", username="pjo-future")
    seknas = actor("seknas")
    old_seknas = member(
        "seknas",
        start=datetime.date(2020, 1, 1),
        end=clock.local_today() - datetime.timedelta(days=1),
        username="seknas-old",
    )
    old_seknas.groups.add(seknas.group)
    for user in (ended, future):
        assert not Task.objects.for_user(user).exists()
        assert not Meeting.objects.for_user(user).exists()
        assert not Report.objects.for_user(user).exists()
    assert not is_national_viewer(old_seknas)
    assert is_national_viewer(users["seknas"])
    assert Task.objects.for_user(users["member"]).filter(pk=objects["task"].pk).exists()
