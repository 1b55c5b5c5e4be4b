"""A refused form explains itself the same way on every page
(templates/_form_errors.html): a summary at the top of the form, role="alert"
and focusable (static/js/app.js moves focus to it), one line per error, each
field's line a link to that field's id; non-field errors too."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.forms import NoControlCharacters, no_control_characters
from tests.meetings.conftest import PAST, make_meeting
from tests.reports.test_draft_form import form_pairs, post_form, set_values

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(
    r'<div class="errorbox error-summary" role="alert" tabindex="-1" data-error-summary>(.*?)</div>', re.S
)


def summary_of(response):
    html = response.content.decode()
    found = SUMMARY.findall(html)
    assert len(found) == 1, "one error summary on the page"
    return found[0]


def links_of(summary):
    return re.findall(r'<a href="#([^"]+)">', summary)


def test_a_refused_report_draft_lists_its_errors_with_links_to_the_fields(login, db):
    from reports.scheduler import create_report_slots
    from tests.factories import member
    from tests.reports.conftest import DAY, PROBLEM, report_of

    create_report_slots(on=DAY)
    report = report_of("tk-triwulan")
    client = login(member("tk-provinsi", "33", username="tk-jateng"))
    url = reverse("reports:report_edit", args=[report.pk])
    pairs = form_pairs(client.get(url).content.decode(), "draft-form")
    response = post_form(
        client,
        url,
        set_values(pairs, action="save", section_kemajuan="Capai\x0can", **{"butir-0-description": PROBLEM}),
    )
    assert response.status_code == 400
    summary = summary_of(response)
    assert set(links_of(summary)) == {"id_section_kemajuan", "id_butir-0-kind", "id_butir-0-category"}
    html = response.content.decode()
    for target in links_of(summary):
        assert f'id="{target}"' in html
    assert "Baris 1, Jenis: Wajib diisi untuk baris ini." in summary
    # The summary is inside the form, before its first field.
    assert html.index('id="draft-form"') < html.index("data-error-summary") < html.index('name="section_kemajuan"')


def test_a_refused_task_form_lists_its_errors_with_links(login, pjoprov_member):
    response = login(pjoprov_member).post(reverse("duties:task_create"), {"title": "", "due_date": "2026-02-31"})
    assert response.status_code == 400
    links = links_of(summary_of(response))
    assert {"id_duty", "id_title", "id_due_date"} <= set(links)
    assert "Judul:" in summary_of(response)


def test_a_refused_meeting_form_lists_its_errors_with_links(login, pjoprov_member, colleague):
    meeting = make_meeting("pjoprov", "33", PAST)
    response = login(pjoprov_member).post(reverse("meetings:meeting_edit", args=[meeting.pk]), {"title": ""})
    assert response.status_code == 400
    assert links_of(summary_of(response)) == ["id_title"]


def test_a_refused_login_shows_its_non_field_error_in_the_summary(client, pjoprov_member):
    response = client.post(reverse("login"), {"username": pjoprov_member.username, "password": "salah"})
    summary = summary_of(response)
    assert "<li>" in summary and not links_of(summary)


def test_a_page_without_errors_has_no_summary(login, pjoprov_member):
    html = login(pjoprov_member).get(reverse("duties:task_create")).content.decode()
    assert "data-error-summary" not in html


def test_app_js_moves_focus_to_the_summary():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "app.js").read_text()
    assert 'document.querySelector("[data-error-summary]")' in script and "summary.focus()" in script


def test_no_form_template_keeps_its_own_error_box():
    templates = Path(settings.BASE_DIR) / "templates"
    own = [
        str(p.relative_to(templates))
        for p in templates.rglob("*.html")
        if 'class="errorbox"' in p.read_text() and p.name != "_form_errors.html"
    ]
    assert own == []


@pytest.mark.parametrize("text", ["a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\x85b", "a\rb", "a\x0cb"])
def test_control_characters_are_refused(text):
    with pytest.raises(Exception, match="karakter kontrol"):
        no_control_characters(text)


@pytest.mark.parametrize("text", ["tab\there", "line\nnext", "crlf\r\nnext", "é ü ñ – “kutip”", ""])
def test_text_with_tabs_newlines_and_any_letter_is_accepted(text):
    no_control_characters(text)


def test_the_mixin_gives_a_nul_one_message_not_two():
    from django import forms

    class Form(NoControlCharacters, forms.Form):
        name = forms.CharField()
        password = forms.CharField(widget=forms.PasswordInput)

    form = Form({"name": "a\x00b", "password": "a\x07b"})
    assert not form.is_valid()
    assert len(form.errors["name"]) == 1 and "karakter kontrol" in form.errors["name"][0]
    assert "password" not in form.errors
