import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_a_stopped_broker_is_reported_as_down_with_503(client, settings):
    # Nothing listens on port 1: this is what a stopped Redis looks like.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("down")


def test_a_missing_filesystem_broker_folder_is_down(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "missing")}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")


OUTSIDE = "203.0.113.7"


@pytest.fixture
def down_broker(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"


def test_the_world_gets_the_status_code_but_not_what_is_down(client, down_broker):
    response = client.get("/healthz", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert client.get("/healthz", REMOTE_ADDR="2001:db8::7").json() == {"status": "error"}


def test_the_world_gets_ok_and_nothing_more(client):
    response = client.get("/healthz", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_the_server_itself_sees_the_details(client, down_broker, address):
    body = client.get("/healthz", REMOTE_ADDR=address).json()
    assert body["database"] == "ok" and body["broker"].startswith("down")


def test_staff_see_the_details_from_anywhere(client, down_broker, django_user_model):
    client.force_login(django_user_model.objects.create_user("ops", is_staff=True))
    body = client.get("/healthz", REMOTE_ADDR=OUTSIDE).json()
    assert body["database"] == "ok" and body["broker"].startswith("down")


def test_a_signed_in_person_who_is_not_staff_does_not(client, down_broker, django_user_model):
    client.force_login(django_user_model.objects.create_user("warga"))
    assert client.get("/healthz", REMOTE_ADDR=OUTSIDE).json() == {"status": "error"}


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_FORWARDED_FOR": "127.0.0.1"},
        {"HTTP_X_REAL_IP": "127.0.0.1"},
        {"HTTP_FORWARDED": "for=127.0.0.1"},
    ],
)
def test_forwarding_headers_from_outside_do_not_make_a_request_local(client, down_broker, headers):
    assert client.get("/healthz", REMOTE_ADDR=OUTSIDE, **headers).json() == {"status": "error"}


def test_through_the_local_proxy_only_a_local_client_is_local(client, down_broker, settings):
    # nginx on the same machine connects from 127.0.0.1 and names the client
    # in X-Real-IP (deploy/nginx/pnpm-prov.conf): an outside visitor arrives
    # from a loopback address and must still get the short answer.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    outside = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=OUTSIDE)
    assert outside.status_code == 503 and outside.json() == {"status": "error"}
    local = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="127.0.0.1").json()
    assert local["broker"].startswith("down")
    direct = client.get("/healthz", REMOTE_ADDR="127.0.0.1").json()  # curl to the app server itself
    assert direct["broker"].startswith("down")


def test_a_proxy_that_is_not_trusted_is_never_local(client, down_broker, settings):
    settings.TRUSTED_PROXIES = []
    response = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=OUTSIDE, HTTP_X_FORWARDED_FOR=OUTSIDE)
    assert response.json() == {"status": "error"}
