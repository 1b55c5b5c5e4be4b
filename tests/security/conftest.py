import json
import logging

import pytest
from django.test import Client

from tests.celery_fixtures import private_redis  # noqa: F401
from tests.factories import PASSWORD


@pytest.fixture
def axes_on(settings):
    """Login throttling as in production (tests/settings switch it off for
    Client.login, which authenticates without a request)."""
    settings.AXES_ENABLED = True
    return settings


def login_form(client, username, password=PASSWORD, **extra):
    """A real login through the login page (the path axes watches)."""
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def logged_in_client(user, **extra):
    c = Client(**extra)
    response = login_form(c, user.username)
    assert response.status_code == 302, response.content[:500]
    return c


@pytest.fixture
def security_events(caplog):
    """security_events() -> the structured records logged on pnpm.security."""
    caplog.set_level(logging.INFO, logger="pnpm.security")

    def _events(name=None):
        records = [r for r in caplog.records if r.name == "pnpm.security"]
        return [r for r in records if name is None or r.event == name]

    return _events


def as_json(record):
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    return json.loads(formatter.format(record))
