"""Bad input, generated: every form of the app gets every kind of malformed
POST, and every list page gets malformed query strings.

The forms are found, not listed: for each route that accepts POST (the
POLICY table of test_url_policy) we GET the page that shows its form (the
route itself, or the object's detail page) and read the field names the
browser would send, formset management fields included. Each (form, kind of
input) is its own test. The answer must be a 4xx, or 200 with the form's
errors shown, never a 500; and the row count of EVERY table (every installed
model, tests/security/rowcounts.py) must be unchanged: a malformed request
leaves nothing half-written. Only django_session is not counted (the login
machinery's own row); the refused-access log is a log stream, not a table,
so it needs no exception here.
"""

import re
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.factories import actor, member
from tests.security.rowcounts import changed, row_counts
from tests.security.test_url_policy import POLICY
from tests.security.world import (
    CODE_KWARGS,
    EXTRA_POSITIONS,
    KWARGS,
    OTHER_KWARGS,
    PERSONAS,
    PK_NAMES,
    STATIC_KWARGS,
    build,
    frozen_clock,
    kwargs_for,
    people,
)

# route -> (who posts it, the route whose page shows the form; None: itself)
FORMS = {
    "login": ("anonymous", None),
    "password_change": ("member", None),
    "appointments:proposal_create": ("member", None),
    "appointments:proposal_edit": ("member", None),  # on the draft proposal (see PK_OF)
    "appointments:proposal_approve": ("gubernur", "appointments:proposal_detail"),
    "appointments:proposal_return": ("gubernur", "appointments:proposal_detail"),
    "appointments:proposal_reject": ("gubernur", "appointments:proposal_detail"),
    "duties:task_create": ("member", None),
    "duties:task_update": ("member", "duties:task_detail"),
    "duties:task_assign": ("member", "duties:task_detail"),
    "reports:incidental_create": ("member", None),
    "reports:report_edit": ("member", None),
    "reports:report_autosave": ("member", "reports:report_edit"),
    "reports:report_review": ("reviewer", "reports:version_detail"),  # on the latest version (see PAGE_OF)
    "reports:attachment_add": ("member", "reports:report_edit"),
    "meetings:meeting_edit": ("member", None),
    "meetings:meeting_hold": ("member", "meetings:meeting_detail"),
    "meetings:meeting_postpone": ("member", "meetings:meeting_detail"),
    "meetings:meeting_cancel": ("member", "meetings:meeting_detail"),
    "meetings:agenda_add": ("member", "meetings:meeting_detail"),
    "meetings:attendance": ("member", None),
    "meetings:minutes_edit": ("member", None),
    "meetings:minutes_correct": ("member", "meetings:meeting_detail"),
    "meetings:follow_up_add": ("member", "meetings:meeting_detail"),
    "meetings:attachment_add": ("member", "meetings:meeting_detail"),
    "meetings:series_edit": ("member", None),
    "security:logout_everywhere": ("member", "security:account"),
    "security:otp_disable": ("member", "security:account"),
    "security:otp_enrol": ("gubernur", None),
    "notifications:preferences": ("member", None),
    # the public verification pages (a code, a PDF file, or both)
    "documents:verify_form": ("anonymous", None),
    "documents:verify": ("anonymous", None),
    "api:tokens": ("member", None),
    # the duty ledger: an ongoing duty's account, an incidental duty's occurrence
    "ledger:account": ("member", None),
    "ledger:occurrence": ("member", None),
}

# Forms shown for another object of the world than the policy table's row.
PK_OF = {"appointments:proposal_edit": "draft_proposal"}
# Forms shown on another object's page than the one they post to: the review
# of a report is on its latest version's page.
PAGE_OF = {"reports:report_review": "second_version"}

# POST routes that are not forms, and why they are not in the battery.
NOT_FORMS = {
    # one button, no field: extra fields are ignored; who may press it is
    # in test_url_policy
    "logout",
    "appointments:proposal_submit",
    "appointments:resend_activation",
    "reports:attachment_remove",
    "meetings:minutes_approve",
    "meetings:calendar_feed_reset",
    "notifications:mark_read",
    "notifications:mark_all_read",
    # redirects back whatever the language (an unknown one changes nothing)
    "set_language",
    # the invalid-link page has no form; the link itself is tested in tests/actors
    "appointments:account_activate",
    # code check: it redirects when no second factor is pending
    "security:otp_verify",
    # one button (revoke a token), who may press it is in test_url_policy
    "api:token_revoke",
    # the API's writes take JSON, not forms: their bad bodies are in
    # tests/api/test_writing.py and Schemathesis's (bin/api-contract)
    "api:task-action-complete",
    "api:task-action-reopen",
    "api:meeting-action-attendance",
    # one button ("tidak ada kejadian"), no field; refusals in tests/ledger
    "ledger:declare_none",
}

# The page of a form whose route shows no form for this object (the correction
# form appears only after the minutes are approved): its form class's fields.
# (The meeting of the world is not held yet, so the minutes, attendance and
# follow-up forms are not shown; the member has no second factor to disable.)
FALLBACK_FIELDS = {
    "meetings:minutes_correct": {"reason": "textarea"},
    "meetings:minutes_edit": {"notes": "textarea"},
    "meetings:attendance": {"person_1": "select", "person_note_1": "text", "actor_1": "select"},
    "meetings:follow_up_add": {
        "title": "text",
        "actor": "select",
        "due_date": "date",
        "duty": "select",
        "agenda_item": "select",
        "description": "textarea",
    },
    "security:otp_disable": {"disable-password": "password"},
}
# The autosave posts the edit form's fields (from a script) to its own URL.
SAME_FIELDS_AS = {"reports:report_autosave": "reports:report_edit"}
# An empty POST that is a legitimate action, and what it does.
EMPTY_IS_AN_ACTION = {"duties:task_assign": "an empty choice takes the assignee off the task"}

# Values that are legitimate text in a free-text field.
TEXT_VALID = {
    "wrong_type",
    "invalid_utf8",  # arrives as U+FFFD replacement characters
    "html",
    "sql",
    "year_1",
    "year_9999",
    "feb_31",
    "int_overflow",
    "negative",
    "other_province",
}
BIG = "x" * 100_000
KINDS = {
    "empty": None,
    "oversize": BIG,
    "wrong_type": "bukan-angka",
    "nul": "a\x00b",
    "html": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "sql": "1' OR '1'='1'; DROP TABLE duties_task; --",
    "year_1": "0001-01-01",
    "year_9999": "9999-12-31",
    "feb_31": "2026-02-31",
    "int_overflow": "99999999999999999999",
    "negative": "-1",
    "other_province": "OTHER_PROVINCE",
    "invalid_utf8": "INVALID_UTF8",
    "broken_management_form": "BROKEN_FORMSET",
}


def test_every_post_route_is_in_the_battery_or_explained():
    # signed-in personas only (anonymous is sent to the login page for every POST)
    posting = {name for name, row in POLICY.items() if set(row["POST"][:-1]) - {405} or name == "login"}
    assert posting == set(FORMS) | NOT_FORMS, (posting - set(FORMS) - NOT_FORMS, (set(FORMS) | NOT_FORMS) - posting)


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """The world once for the module, rolled back at its end."""
    with django_db_blocker.unblock(), frozen_clock(), transaction.atomic():
        users = people()
        users["reviewer"] = member("tk-provinsi", "33", username="tk-jateng")
        world = build(users)
        world["other_ids"] = _other_province_ids()
        yield users, world
        transaction.set_rollback(True)


def _other_province_ids():
    """Ids of DI Yogyakarta's rows: a form must refuse them in any field."""
    from duties.models import Task

    outsider = member("pjoprov", "34", username="pjo-diy-2")
    task = Task.objects.filter(actor__province__code="34").first()
    return {
        "actor": actor("pjoprov", "34").pk,
        "user": outsider.pk,
        "task": task.pk if task else 999_999,
    }


FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD_RE = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
NAME_RE = re.compile(r"\bname=\"([^\"]+)\"")
TYPE_RE = re.compile(r"\btype=\"([^\"]+)\"")
FREE_TEXT = {"textarea", "text", "password", "search"}
ACTION_RE = re.compile(r"\baction=\"([^\"]*)\"")


def form_fields(client, path, page):
    """{name: kind} a browser would post to `path`, read from `page`; kind is
    the tag, or the input's type."""
    html = client.get(page).content.decode()
    names = {}
    for attrs, body in FORM_RE.findall(html):
        if "post" not in attrs.lower():
            continue
        match = ACTION_RE.search(attrs)
        action = match.group(1) if match else page
        if action.split("?")[0] == path:
            for tag, attrs_ in FIELD_RE.findall(body):
                name = NAME_RE.search(attrs_)
                if name and name.group(1) != "csrfmiddlewaretoken":
                    kind = TYPE_RE.search(attrs_)
                    names[name.group(1)] = (
                        tag.lower() if tag.lower() != "input" else (kind.group(1) if kind else "text")
                    )
    return names


def bad_data(kind, names, world):
    value = KINDS[kind]
    if value is None:
        return {}
    if value == "OTHER_PROVINCE":
        ids = world["other_ids"]
        return {n: str(ids["actor"] if "actor" in n else ids["task"] if "task" in n else ids["user"]) for n in names}
    if value == "BROKEN_FORMSET":
        data = dict.fromkeys(names, "")
        for n in names:
            if n.endswith("-TOTAL_FORMS"):
                data[n] = "99999999999999999999"
            elif n.endswith("-INITIAL_FORMS"):
                data[n] = "abc"
            elif n.endswith(("-MIN_NUM_FORMS", "-MAX_NUM_FORMS")):
                data[n] = "-5"
        return data
    return dict.fromkeys(names, value)


def has_management_form(names):
    return any(n.endswith("-TOTAL_FORMS") for n in names)


def post(client, path, kind, data, names):
    if KINDS[kind] == "INVALID_UTF8":
        body = "&".join(f"{quote(n)}=%FF%FE%C0%AF%ED%A0%80" for n in names)
        return client.generic("POST", path, body, content_type="application/x-www-form-urlencoded")
    return client.post(path, data)


def shows_errors(response):
    if response.get("Content-Type", "").startswith("application/json"):
        return False
    page = response.content.decode(errors="replace")
    return 'class="error' in page or "errorlist" in page or 'class="errors' in page or "has-error" in page


_FIELDS = {}
CASES = [pytest.param(name, kind, id=f"{name}-{kind}") for name in FORMS for kind in KINDS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind"), CASES)
def test_malformed_post_is_refused_and_writes_nothing(shared, name, kind):
    users, world = shared
    persona, page_name = FORMS[name]
    kwargs = kwargs_for(name, world)
    if name in PK_OF:
        kwargs["pk"] = world[PK_OF[name]].pk
    path = reverse(name, kwargs=kwargs)
    page = (
        reverse(page_name, kwargs={"pk": world[PAGE_OF[name]].pk} if name in PAGE_OF else kwargs) if page_name else path
    )
    client = Client(raise_request_exception=False)
    if users[persona] is not None:
        client.force_login(users[persona])
    if name not in _FIELDS:  # one page read per form, not per kind of input
        source = reverse(SAME_FIELDS_AS[name], kwargs=kwargs) if name in SAME_FIELDS_AS else path
        _FIELDS[name] = form_fields(client, source, page) or FALLBACK_FIELDS.get(name, {})
    names = _FIELDS[name]
    assert names, f"no form posting to {path} on {page}"
    if kind == "broken_management_form" and not has_management_form(names):
        pytest.skip("this form has no formset")
    with transaction.atomic():
        before = row_counts()
        response = post(client, path, kind, bad_data(kind, names, world), names)
        after = row_counts()
        transaction.set_rollback(True)
    status = response.status_code
    assert status != 500, f"{name} {kind}: 500"
    if kind == "empty" and name in EMPTY_IS_AN_ACTION:
        assert status == 302
        return
    if status in (301, 302, 303) and kind in TEXT_VALID and set(names.values()) <= FREE_TEXT:
        # A form of free text only (a reason, a note, a title) rightly takes
        # "<script>", "1' OR ..." or "9999-12-31" as text: it saves and
        # redirects, and the page shows the text escaped, never as markup.
        shown = client.get(response["Location"]).content.decode()
        assert KINDS["html"] not in shown
        return
    assert 400 <= status < 500 or (status == 200 and shows_errors(response)), (name, kind, status)
    assert not changed(before, after), changed(before, after)


# Query strings: every page without an object in its URL that some persona
# can open gets every parameter the app reads (PARAMS, plus every field of
# the page's own GET forms), each alone and then all at once, set to a bad
# value.
PARAMS = ("page", "periode", "period", "bulan", "tahun", "status", "jenis", "provinsi", "duty", "overdue", "next")
QUERY_VALUES = {
    "page_overflow": "99999999999999999999",
    "bigint_max": "9223372036854775807",  # the largest bigint: its OFFSET is out of range
    "bigint_max_plus_1": "9223372036854775808",
    "ten_to_30": str(10**30),
    "bigint_min_minus_1": "-9223372036854775809",
    "negative": "-1",
    "text": "bukan-angka",
    "nul": "a%00b",  # PostgreSQL refuses a NUL in a query parameter
    "nul_alone": "%00",
    "crlf": "a%0D%0Ab",
    "invalid_utf8": "%FF%FE",
    "year_1": "0001-01",
    "year_99999": "99999-99",
    "feb_31": "2026-02-31",
    "html": quote("<script>alert(1)</script>"),
    "sql": quote("1' OR '1'='1"),
    "oversize": "x" * 5000,
}


def _first_persona_with(row, statuses, personas=PERSONAS):
    return next((p for p, status in zip(PERSONAS, row, strict=True) if p in personas and status in statuses), None)


# route -> the persona who sees the page (the first of PERSONAS with a 200)
LISTS = {
    name: _first_persona_with(row["GET"], (200,))
    for name, row in POLICY.items()
    if 200 in row["GET"]
    and name not in KWARGS
    and name not in OTHER_KWARGS
    and name not in CODE_KWARGS
    and name not in STATIC_KWARGS
    and name != "healthz"
}
_QUERY_PARAMS = {}


def query_params(client, path):
    """PARAMS and the names of the fields of the page's GET forms."""
    html = client.get(path).content.decode(errors="replace")
    names = set(PARAMS)
    for attrs, body in FORM_RE.findall(html):
        if "post" in attrs.lower():
            continue
        for _tag, attrs_ in FIELD_RE.findall(body):
            name = NAME_RE.search(attrs_)
            if name:
                names.add(name.group(1))
    return sorted(names)


def _client_for(users, persona):
    client = Client(raise_request_exception=False)
    if users[persona] is not None:
        client.force_login(users[persona])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("value_kind", QUERY_VALUES)
@pytest.mark.parametrize("name", LISTS)
def test_malformed_query_string_is_never_a_500(shared, name, value_kind):
    users, _world = shared
    client = _client_for(users, LISTS[name])
    path = reverse(name)
    if name not in _QUERY_PARAMS:  # one page read per list, not per kind of value
        _QUERY_PARAMS[name] = query_params(client, path)
    params = _QUERY_PARAMS[name]
    value = QUERY_VALUES[value_kind]
    queries = [f"{quote(p)}={value}" for p in params] + ["&".join(f"{quote(p)}={value}" for p in params)]
    wrong = {}
    for query in queries:
        response = client.get(f"{path}?{query}")
        if response.status_code not in (200, 400, 404):
            wrong[query[:80]] = response.status_code
    assert not wrong, (name, value_kind, wrong)


# Bad values in every position of a URL that takes one (a pk, an attachment's
# pk, a token, the activation link's uid), where the route's converter lets
# the value through (an <int:...> takes only digits: a bigint's largest value
# and beyond). GET and POST, as the persona who may use the route; the answer
# is never a 500 and nothing is written.
URL_VALUES = {
    "nul": "a\x00b",
    "crlf": "a\r\nb",
    "bigint_max": "9223372036854775807",
    "bigint_max_plus_1": "9223372036854775808",
    "ten_to_30": str(10**30),
}


def _positions(name):
    if name in OTHER_KWARGS:
        return list(OTHER_KWARGS[name])
    if name in CODE_KWARGS:
        return ["code"]
    if name in STATIC_KWARGS:
        return list(STATIC_KWARGS[name])
    return (
        [PK_NAMES.get(name, "pk")]
        + (["attachment_pk"] if KWARGS[name][1] else [])
        + list(EXTRA_POSITIONS.get(name, ()))
    )


URL_POSITIONS = [
    pytest.param(name, position, id=f"{name}-{position}")
    for name in POLICY
    if name in KWARGS or name in OTHER_KWARGS or name in CODE_KWARGS or name in STATIC_KWARGS
    for position in _positions(name)
]


def _url_persona(name):
    """Who may use the route: the first signed-in persona with a 200 on GET
    or a 200/302 on POST; anonymous for the token routes."""
    if name in OTHER_KWARGS or name in CODE_KWARGS:
        return "anonymous"
    row, signed_in = POLICY[name], PERSONAS[:-1]
    return (
        _first_persona_with(row["GET"], (200,), signed_in)
        or _first_persona_with(row["POST"], (200, 302), signed_in)
        or "member"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "position"), URL_POSITIONS)
def test_a_bad_value_in_a_url_position_is_never_a_500(shared, name, position):
    users, world = shared
    client = _client_for(users, _url_persona(name))
    tried, wrong = 0, {}
    for value_kind, value in URL_VALUES.items():
        try:
            path = reverse(name, kwargs={**kwargs_for(name, world), position: value})
        except NoReverseMatch:
            continue  # the converter does not take this value: the URL cannot be asked for
        tried += 1
        for method in ("GET", "POST"):
            with transaction.atomic():
                before = row_counts()
                response = client.generic(method, path)
                after = row_counts()
                transaction.set_rollback(True)
            if response.status_code >= 500 or changed(before, after):
                wrong[(value_kind, method)] = (response.status_code, changed(before, after))
    assert tried, f"no bad value fits {name} {position}"
    assert not wrong, (name, position, wrong)


# Ids of another province in an otherwise valid form: the same POST with our
# province's id succeeds (so the form is valid but for that id), with DI
# Yogyakarta's id it is a form error and writes nothing.
def _valid_posts(users, world):
    from duties.models import Duty

    ours, theirs = actor("pjoprov", "33"), actor("pjoprov", "34")
    duty = Duty.objects.filter(kind=ours.kind).order_by("number").first()
    member_pk, outsider_pk = users["member"].pk, world["other_ids"]["user"]
    meeting = {"title": "Rapat rutin", "location": "Semarang", "chair": member_pk}
    return {
        "task_create-actor": (
            "duties:task_create",
            {"actor": ours.pk, "duty": duty.pk, "title": "Tugas baru", "due_date": "2026-11-02"},
            {"actor": theirs.pk},
        ),
        "task_assign-assignee": ("duties:task_assign", {"assignee": member_pk}, {"assignee": outsider_pk}),
        "incidental_create-actor": (
            "reports:incidental_create",
            {"actor": ours.pk, "title": "Banjir di Kecamatan Wanareja"},
            {"actor": theirs.pk},
        ),
        "meeting_edit-chair": ("meetings:meeting_edit", meeting, {"chair": outsider_pk}),
        "meeting_edit-invited_actors": ("meetings:meeting_edit", meeting, {"invited_actors": [theirs.pk]}),
        "meeting_edit-invited_people": ("meetings:meeting_edit", meeting, {"invited_people": [outsider_pk]}),
        "ledger_account-tasks": (
            "ledger:account",
            {"text": "Koordinasi dengan kabupaten.", "tasks": [world["task"].pk]},
            {"tasks": [world["other_ids"]["task"]]},
        ),
    }


OTHER_PROVINCE_CASES = [
    "task_create-actor",
    "task_assign-assignee",
    "incidental_create-actor",
    "meeting_edit-chair",
    "meeting_edit-invited_actors",
    "meeting_edit-invited_people",
    "ledger_account-tasks",
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", OTHER_PROVINCE_CASES)
def test_an_id_of_another_province_in_a_valid_form_is_refused(shared, case):
    users, world = shared
    name, valid, swap = _valid_posts(users, world)[case]
    path = reverse(name, kwargs=kwargs_for(name, world))
    client = Client(raise_request_exception=False)
    client.force_login(users["member"])
    with transaction.atomic():
        assert client.post(path, valid).status_code == 302  # the form is valid with our own ids
        transaction.set_rollback(True)
    with transaction.atomic():
        before = row_counts()
        response = client.post(path, {**valid, **swap})
        after = row_counts()
        transaction.set_rollback(True)
    assert response.status_code == 400 or (response.status_code == 200 and shows_errors(response))
    assert shows_errors(response)
    assert not changed(before, after), changed(before, after)
