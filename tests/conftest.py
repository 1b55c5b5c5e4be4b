"""Personas (after healthchecks' alice/bob/charlie): a member of PjOProv Jawa
Tengah, a colleague from another actor of the same province, an outsider
from the same actor kind in DI Yogyakarta, the Governor's office of Jawa
Tengah, seknas, and anonymous."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, member


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
