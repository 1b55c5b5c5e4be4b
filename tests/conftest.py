"""Personas (after healthchecks' alice/bob/charlie): a member of PjOProv Jawa
Tengah, a colleague from another actor of the same province, an outsider
from the same actor kind in DI Yogyakarta, the Governor's office of Jawa
Tengah, seknas, and anonymous."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, member

# --clock: run the whole suite at another moment (tests/moved_clock.py).
pytest_plugins = ["tests.moved_clock"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Ids come back after a rollback; badges kept for one test's user must
    not show on the next test's user with the same id."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def pjoprov_member(db):
    return member("pjoprov", "33", username="pjo-jateng")


@pytest.fixture
def colleague(db):
    return member("kmw", "33", username="kmw-jateng")


@pytest.fixture
def outsider(db):
    return member("pjoprov", "34", username="pjo-diy")


@pytest.fixture
def gubernur_office(db):
    return member("gubernur", "33", username="gub-jateng")


@pytest.fixture
def seknas_user(db):
    return member("seknas", username="seknas")


@pytest.fixture
def login():
    """login(user) -> a test Client logged in as that user."""

    def _login(user):
        c = Client()
        assert c.login(username=user.username, password=PASSWORD)
        return c

    return _login


def pytest_collection_modifyitems(items):
    """Mark every test that commits for real (transaction=True, live_server).

    Such a test ends by emptying every table, reference data included. Alone,
    pytest-django runs them last; with pytest-xdist a worker may run one before
    ordinary tests, so `make test` runs them in a second, single-process pass:
    `pytest -m "not transactional" -n auto` then `pytest -m transactional`.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        if (marker and marker.kwargs.get("transaction")) or {"live_server", "transactional_db"} & set(fixtures):
            item.add_marker(pytest.mark.transactional)
