"""Requests every route as every persona, each inside a savepoint that is
rolled back, so one request never changes what the next one sees."""

from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.world import PERSONAS, kwargs_for

METHODS = ("GET", "POST", "PUT", "DELETE")


def path_of(name, world):
    return reverse(name, kwargs=kwargs_for(name, world))


def request(user, method, path, data=None):
    """The status of one request; 500 when the view raised. Rolled back."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    call = getattr(client, method.lower())
    with transaction.atomic():
        if method == "GET":
            response = call(path)
        elif method == "POST":
            response = call(path, data or {})
        else:
            response = call(path, data="", content_type="application/x-www-form-urlencoded")
        transaction.set_rollback(True)
    return response


def observed(name, world, users, methods=METHODS):
    path = path_of(name, world)
    return {method: tuple(request(users[p], method, path).status_code for p in PERSONAS) for method in methods}
