"""One page under load, chosen by LOADTEST_PAGE (see pages.py): every
simulated user logs in as one of the roles (round robin), then requests the
page in a closed loop. Run by loadtest/run.py, headless."""

import itertools
import os
import sys

from locust import HttpUser, constant, task

sys.path.insert(0, os.path.dirname(__file__))
from pages import PAGES

PAGE = os.environ["LOADTEST_PAGE"]
PATH, PAGE_ROLES = {name: (path, roles) for name, path, roles in PAGES}[PAGE]
PASSWORD = os.environ["LOADTEST_PASSWORD"]
_roles = itertools.cycle(PAGE_ROLES)


class Person(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        # Everyone logs in, whatever the page, so that every phase pays the same.
        self.client.get("/accounts/login/", name="login")
        token = self.client.cookies.get("csrftoken")
        response = self.client.post(
            "/accounts/login/",
            {"username": next(_roles), "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"login failed: {response.status_code}")

    @task
    def page(self):
        with self.client.get(PATH, name=PAGE, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
