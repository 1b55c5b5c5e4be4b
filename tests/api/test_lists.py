"""Every list endpoint of the API's reference data and tasks takes a fixed
number of queries, whatever the page size and the number of rows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api.tokens import do_create_token
from duties import services as duty_services
from duties.models import Duty
from tests.factories import actor

pytestmark = pytest.mark.django_db


def queries(client, url, **params):
    client.get(url, params)  # the token's last use is written once a minute: not part of the count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), response.json()


def tasks(user, n):
    pjoprov = actor("pjoprov", "33")
    duties = list(Duty.objects.filter(kind=pjoprov.kind).order_by("number"))
    for i in range(n):
        duty_services.do_create_task(
            user=user, actor=pjoprov, duty=duties[i % len(duties)], title=f"Tugas {i}", due_date=None
        )


@pytest.mark.parametrize("url", ["/api/v1/provinsi/", "/api/v1/jenis-pelaku/", "/api/v1/tugas-pokok/"])
def test_reference_lists_take_a_fixed_number_of_queries(pjoprov_member, url):
    _record, token = do_create_token(user=pjoprov_member, name="t", scope="baca")
    count, body = queries(Client(HTTP_AUTHORIZATION=f"Bearer {token}"), url)
    assert body and count <= 4


def test_the_task_list_takes_the_same_queries_for_3_or_40_tasks_and_any_page_size(pjoprov_member):
    _record, token = do_create_token(user=pjoprov_member, name="t", scope="baca")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    tasks(pjoprov_member, 3)
    small, body = queries(client, "/api/v1/tugas/", page_size=2)
    assert len(body["results"]) == 2 and body["next"]
    tasks(pjoprov_member, 37)
    large, body = queries(client, "/api/v1/tugas/", page_size=200)
    assert len(body["results"]) == 40 and body["next"] is None
    assert small == large
    # The next page costs the same as the first.
    first, body = queries(client, "/api/v1/tugas/", page_size=5)
    following, _body = queries(Client(HTTP_AUTHORIZATION=f"Bearer {token}"), body["next"])
    assert following == first


def test_the_actor_list_takes_the_same_queries_for_any_page_size(seknas_user):
    _record, token = do_create_token(user=seknas_user, name="t", scope="baca")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    small, body = queries(client, "/api/v1/pelaku/", page_size=2)
    large, body_large = queries(client, "/api/v1/pelaku/", page_size=200)
    assert len(body["results"]) == 2 and len(body_large["results"]) > 2
    assert small == large
