"""Query parameters of the API's lists, read one way: a wrong value is a 400
naming the parameter, never a query that fails (a 500)."""

import datetime

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as ApiValidationError

# The largest id a bigint column holds: a larger one is a wrong parameter, not a query.
MAX_ID = 2**63 - 1


def param(request, name):
    value = request.query_params.get(name)
    return None if value in (None, "") else value


def choice(request, name, choices):
    value = param(request, name)
    if value is not None and value not in choices:
        raise ApiValidationError({name: [_("Pilih salah satu: %(choices)s.") % {"choices": ", ".join(choices)}]})
    return value


def object_id(request, name):
    value = param(request, name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        raise ApiValidationError({name: [_("Tulis id berupa bilangan bulat positif.")]})
    return int(value)


def date(request, name):
    value = param(request, name)
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ApiValidationError({name: [_("Tulis tanggal sebagai YYYY-MM-DD, mis. 2026-12-31.")]}) from None
