"""The report draft form as a browser uses it (issue 17): rows the writer did
not touch are ignored, whatever their selects show; a refused save says why at
the top; the tables take MAX_ROWS rows and say so past it; control
characters are refused; a sent draft is read-only."""

from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from core.models import AuditEvent
from reports import services
from reports.forms import MAX_ROWS, ReviewForm
from reports.models import Report, SectionText

from .conftest import CONSTRAINT, PROBLEM, content

pytestmark = pytest.mark.django_db

# What a browser posts for a form of a page: every field with the value the
# page shows (a select on its selected option, or on its first one), checked
# boxes only, nothing inside a <template> (the "add a row" script's copy).


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.template = 0
        self.pairs = []
        self.select = None  # [name, first value, selected value, multiple selected]
        self.textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if tag == "template":
            self.template += 1
        if not self.inside or self.template:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.pairs.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and a.get("name"):
            self.select = [a["name"], None, None, "multiple" in a]
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select[1] is None:
                self.select[1] = value
            if "selected" in a:
                if self.select[3]:
                    self.pairs.append((self.select[0], value))
                else:
                    self.select[2] = value
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_endtag(self, tag):
        if tag == "template":
            self.template -= 1
        elif tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, first, selected, multiple = self.select
            if not multiple and (selected is not None or first is not None):
                self.pairs.append((name, selected if selected is not None else first))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # The newline right after <textarea> is not part of the value.
            self.pairs.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def form_pairs(html, form_id):
    """[(name, value)] the browser would post for <form id=form_id> of `html`."""
    reader = _FormReader(form_id)
    reader.feed(html)
    assert reader.pairs, f"no form #{form_id} on the page"
    return reader.pairs


def set_values(pairs, **values):
    """The pairs with these fields set (added when the page has no such field)."""
    out, seen = [], set()
    for name, value in pairs:
        if name in values:
            if name in seen:
                continue
            seen.add(name)
            value = values[name]
        out.append((name, value))
    out += [(name, value) for name, value in values.items() if name not in seen]
    return out


def post_form(client, url, pairs):
    """POST the pairs form-encoded, as a browser posts a form without files."""
    return client.generic("POST", url, urlencode(pairs), content_type="application/x-www-form-urlencoded")


# --- the page, as a browser uses it ---------------------------------------------


def edit_url(report):
    return reverse("reports:report_edit", args=[report.pk])


def page(client, report):
    response = client.get(edit_url(report))
    assert response.status_code == 200
    return response.content.decode()


def send(client, report, **values):
    """Open the draft page, change these fields as the writer would, post it."""
    pairs = set_values(form_pairs(page(client, report), "draft-form"), **values)
    return post_form(client, edit_url(report), pairs)


def typed(report, **extra):
    """Every section and the signature block, as the writer types them."""
    values = content(report)
    fields = {f"section_{code}": text for code, text in values["texts"].items()}
    signature = values["signature"]
    fields.update({k: signature[k] for k in ("signer_name", "signer_position", "sign_place")})
    fields["sign_date"] = signature["sign_date"].isoformat()
    fields.update(extra)
    return fields


ROW = {"level": "kabupaten", "unit": "33.01", "rating": "baik", "note": "Tepat"}


@pytest.fixture(autouse=True)
def _units(regions):
    """The official units the rows choose (tests/conftest.py)."""


PROBLEM_ROW = {"kind": "masalah", "category": "keuangan", "description": PROBLEM}


def row(prefix, index, values):
    return {f"{prefix}-{index}-{k}": v for k, v in values.items()}


def state_of(report):
    """Everything a refused save must leave as it was."""
    report = Report.objects.get(pk=report.pk)
    return (
        list(SectionText.objects.filter(report=report).order_by("pk").values_list("pk", "text")),
        list(report.assessment.order_by("pk").values_list("pk", "unit_name")),
        list(report.issues.order_by("pk").values_list("pk", "description", "state")),
        (report.signer_name, report.sign_date, report.status, report.updated_at),
        AuditEvent.objects.count(),
    )


def test_the_page_posted_as_rendered_saves_and_stores_no_empty_rows(tk_report, tk_member, login):
    client = login(tk_member)
    pairs = form_pairs(page(client, tk_report), "draft-form")
    response = post_form(client, edit_url(tk_report), set_values(pairs, action="save"))
    assert response.status_code == 302
    assert not tk_report.issues.exists() and not tk_report.assessment.exists()
    # The untouched row's Status starts on the empty choice, not "Belum ditangani".
    assert ("butir-0-state", "") in pairs


def test_a_row_typed_in_and_saved_twice_then_sent_keeps_its_values(tk_report, tk_member, login):
    client = login(tk_member)
    first = typed(
        tk_report,
        action="save",
        **row("penilaian", 0, ROW),
        **row("butir", 0, {**PROBLEM_ROW, "state": "ditangani"}),
    )
    assert send(client, tk_report, **first).status_code == 302

    # The page now shows the saved rows and one blank row in each table; the
    # blank rows' selects post their empty choice and are ignored again.
    second = {
        "action": "save",
        **row("butir", 1, {"kind": "kendala", "category": "fasilitator", "description": CONSTRAINT}),
    }
    assert send(client, tk_report, **second).status_code == 302
    issues = list(tk_report.issues.order_by("order").values_list("kind", "description", "state"))
    assert issues == [("masalah", PROBLEM, "ditangani"), ("kendala", CONSTRAINT, "belum")]
    assert list(tk_report.assessment.values_list("unit_name", flat=True)) == ["Kabupaten Cilacap"]

    response = send(client, tk_report, action="submit")
    assert response.status_code == 302, response.content.decode()
    tk_report.refresh_from_db()
    assert tk_report.status == Report.Status.SUBMITTED
    snap = tk_report.latest_version.snapshot
    assert sorted((i["kind"], i["state"]) for i in snap["issues"]) == [("kendala", "belum"), ("masalah", "ditangani")]
    assert len(snap["assessment"]) == 1


def test_a_half_filled_row_still_names_its_missing_fields_and_nothing_is_saved(tk_report, tk_member, login):
    client = login(tk_member)
    pairs = form_pairs(page(client, tk_report), "draft-form")
    before = state_of(tk_report)
    response = post_form(
        client,
        edit_url(tk_report),
        set_values(pairs, action="save", **typed(tk_report), **{"butir-0-description": PROBLEM}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Wajib diisi untuk baris ini.") >= 2  # Jenis and Kategori, in the row and in the summary
    assert 'href="#id_butir-0-kind"' in html and 'href="#id_butir-0-category"' in html
    # Everything typed is still there.
    assert PROBLEM in html and content(tk_report)["texts"]["kemajuan"] in html
    assert state_of(tk_report) == before


def test_a_status_alone_counts_as_something_chosen(tk_report, tk_member, login):
    client = login(tk_member)
    pairs = form_pairs(page(client, tk_report), "draft-form")
    response = post_form(client, edit_url(tk_report), set_values(pairs, action="save", **{"butir-0-state": "selesai"}))
    assert response.status_code == 400
    assert 'href="#id_butir-0-description"' in response.content.decode()


def test_the_autosave_of_the_page_as_rendered_saves_without_errors(tk_report, tk_member, login):
    client = login(tk_member)
    pairs = form_pairs(page(client, tk_report), "draft-form")
    response = post_form(client, reverse("reports:report_autosave", args=[tk_report.pk]), pairs)
    assert response.status_code == 200 and response.json()["ok"], response.content
    assert not tk_report.issues.exists() and not tk_report.assessment.exists()


def test_a_saved_issue_shows_its_status_selected(tk_report, tk_member, login):
    values = content(tk_report)
    values["issues"][0]["state"] = "selesai"
    services.do_save_draft(user=tk_member, report=tk_report, **values)
    fields = dict(form_pairs(page(login(tk_member), tk_report), "draft-form"))
    states = {fields[f"butir-{i}-description"]: fields[f"butir-{i}-state"] for i in range(3)}
    assert states == {PROBLEM: "selesai", CONSTRAINT: "belum", "": ""}


# --- the limits -----------------------------------------------------------------


def many_rows(n):
    values = {"penilaian-TOTAL_FORMS": str(n)}
    for i in range(n):
        values.update(row("penilaian", i, {**ROW, "note": f"Desa {i}"}))
    return values


def test_the_assessment_table_takes_max_rows_rows(tk_report, tk_member, login):
    client = login(tk_member)
    pairs = set_values(form_pairs(page(client, tk_report), "draft-form"), action="save", **many_rows(MAX_ROWS))
    assert len(pairs) > 1000  # more than Django's DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = post_form(client, edit_url(tk_report), pairs)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert tk_report.assessment.count() == MAX_ROWS == 300


def test_one_row_past_the_limit_is_told_in_the_page_and_nothing_is_saved(tk_report, tk_member, login):
    client = login(tk_member)
    pairs = set_values(form_pairs(page(client, tk_report), "draft-form"), action="save", **many_rows(MAX_ROWS + 1))
    before = state_of(tk_report)
    response = post_form(client, edit_url(tk_report), pairs)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tabel ini paling banyak 300 baris" in html
    assert "data-error-summary" in html and 'id="draft-form"' in html
    assert 'value="Desa 300"' in html  # what was typed is kept
    assert state_of(tk_report) == before


def test_far_more_fields_than_the_page_takes_is_a_message_in_the_page_not_a_bare_400(tk_report, tk_member, login):
    client = login(tk_member)
    pairs = set_values(form_pairs(page(client, tk_report), "draft-form"), action="save", **many_rows(5 * MAX_ROWS))
    before = state_of(tk_report)
    response = post_form(client, edit_url(tk_report), pairs)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Isian terlalu banyak atau terlalu besar" in html and "data-error-summary" in html
    assert 'id="draft-form"' in html
    assert state_of(tk_report) == before


# --- control characters -----------------------------------------------------------

CONTROL = "Teks berisi karakter kontrol yang tidak terlihat"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("section_kemajuan", "Capaian\x0ctriwulan"),
        ("section_rekomendasi", "Satu\rdua"),  # a carriage return alone
        ("signer_name", "Budi\x07"),
        ("penilaian-0-note", "Cilacap\x1b[31m"),
        ("butir-0-description", "Dana\x00terlambat"),
    ],
)
def test_a_control_character_is_refused_with_its_message_and_nothing_is_written(
    tk_report, tk_member, login, field, value
):
    client = login(tk_member)
    values = typed(tk_report, action="save", **row("penilaian", 0, ROW), **row("butir", 0, PROBLEM_ROW))
    values[field] = value
    before = state_of(tk_report)
    response = send(client, tk_report, **values)
    assert response.status_code == 400
    html = response.content.decode()
    assert CONTROL in html
    assert f'href="#id_{field}"' in html
    assert state_of(tk_report) == before


def test_tabs_and_crlf_newlines_are_text(tk_report, tk_member, login):
    client = login(tk_member)
    text = "Baris satu\r\nBaris dua\tdengan tab"
    values = typed(tk_report, action="save", section_kemajuan=text)
    response = send(client, tk_report, **values)
    assert response.status_code == 302
    assert SectionText.objects.get(report=tk_report, section__code="kemajuan").text == text


def test_review_reasons_refuse_control_characters(tk_report):
    sections = list(tk_report.report_type.sections.all())
    form = ReviewForm({"decision": "dikembalikan", "reason_kemajuan": "Lengkapi\x1b"}, sections=sections)
    assert not form.is_valid()
    assert form.errors["reason_kemajuan"] == [
        "Teks berisi karakter kontrol yang tidak terlihat, biasanya terbawa saat menyalin. Hapus lalu ketik ulang."
    ]


# --- a sent draft --------------------------------------------------------------------


def submitted(report, user):
    services.do_save_draft(user=user, report=report, **content(report))
    return services.do_submit_report(user=user, report=report)


def test_a_sent_draft_is_read_only_and_says_why(tk_report, tk_member, login):
    submitted(tk_report, tk_member)
    html = page(login(tk_member), tk_report)
    assert "<textarea" not in html and "<select" not in html
    for name in ('name="section_', 'name="penilaian-', 'name="butir-', 'name="signer_name"', 'id="draft-form"'):
        assert name not in html
    assert "sudah dikirim pada" in html and "menunggu tanggapan; tidak dapat diubah" in html
    texts = content(tk_report)["texts"]
    assert texts["kemajuan"] in html and PROBLEM in html and "Cilacap" in html


def test_posting_to_a_sent_draft_changes_nothing_and_shows_it_read_only(tk_report, tk_member, login):
    submitted(tk_report, tk_member)
    before = state_of(tk_report)
    client = login(tk_member)
    response = post_form(
        client, edit_url(tk_report), list(typed(tk_report, action="save", section_kemajuan="Baru").items())
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "tidak dapat diubah" in html and "<textarea" not in html and "data-error-summary" in html
    assert state_of(tk_report) == before


def test_a_returned_report_is_editable_again(tk_report, tk_member, gubernur_office, login):
    submitted(tk_report, tk_member)
    services.do_review_report(
        user=gubernur_office, report=tk_report, decision="dikembalikan", section_reasons={"kemajuan": "Lengkapi."}
    )
    html = page(login(tk_member), tk_report)
    assert 'id="draft-form"' in html and 'name="section_kemajuan"' in html and "<textarea" in html


def test_a_refused_send_keeps_what_was_typed(tk_report, tk_member, login):
    client = login(tk_member)
    values = typed(tk_report, action="submit", section_kemajuan="")
    response = send(client, tk_report, **values)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2026-10-05"' in html and "Drs. Budi Santoso" in html
    assert content(tk_report)["texts"]["rekomendasi"] in html and 'href="#id_section_kemajuan"' in html
