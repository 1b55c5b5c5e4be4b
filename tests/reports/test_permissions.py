"""The permission matrix for every report URL and persona.

Setting: Jawa Tengah's TK quarterly report for 2026-Q3 is submitted (v1,
awaiting the Governor's office), its 2026-Q4 report is a draft never sent.
"""

import pytest
from django.test import Client
from django.urls import reverse

from reports import services
from reports.models import Report, ReportReview, ReportVersion
from tests.factories import member
from tests.reports.conftest import content, post_data, report_of

pytestmark = pytest.mark.django_db

PERSONAS = [
    "writer",
    "governor",
    "tk_pusat",
    "seknas",
    "colleague",
    "pjoprov",
    "outsider",
    "governor_elsewhere",
    "anonymous",
]


@pytest.fixture
def world(slots, tk_member, gubernur_office, tk_pusat_user, seknas_user, colleague, pjoprov_member, tk_outsider,
          gubernur_outsider):  # fmt: skip
    submitted = report_of("tk-triwulan")
    services.do_save_draft(user=tk_member, report=submitted, **content(submitted))
    version = services.do_submit_report(user=tk_member, report=submitted)
    return {
        "submitted": submitted,
        "draft": report_of("tk-triwulan", period="2026-Q4"),
        "version": version,
        "users": {
            "writer": tk_member,
            "governor": gubernur_office,
            "tk_pusat": tk_pusat_user,
            "seknas": seknas_user,
            "colleague": colleague,
            "pjoprov": pjoprov_member,
            "outsider": tk_outsider,
            "governor_elsewhere": gubernur_outsider,
        },
    }


def table(page):
    """The list's rows only (the filter's options name every type)."""
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""


def client_for(world, login, persona):
    return Client() if persona == "anonymous" else login(world["users"][persona])


def snapshot(world):
    return (
        list(Report.objects.order_by("pk").values_list("pk", "status", "version_count", "updated_at")),
        ReportVersion.objects.count(),
        ReportReview.objects.count(),
    )


READERS = {"writer", "governor", "tk_pusat", "seknas"}

# url name -> (which report, expected status per persona, method)
GET_MATRIX = {
    "report_detail@submitted": {p: 200 if p in READERS else 404 for p in PERSONAS},
    "report_detail@draft": {p: 200 if p == "writer" else 404 for p in PERSONAS},
    "report_edit@submitted": {p: 200 if p == "writer" else 403 if p in READERS else 404 for p in PERSONAS},
    "report_edit@draft": {p: 200 if p == "writer" else 404 for p in PERSONAS},
    "version_detail@version": {p: 200 if p in READERS else 404 for p in PERSONAS},
    "version_pdf@version": {p: 200 if p in READERS else 404 for p in PERSONAS},
    "version_excel@version": {p: 200 if p in READERS else 404 for p in PERSONAS},
    # v1 has no previous version: nothing to compare, for everybody.
    "version_diff@version": dict.fromkeys(PERSONAS, 404),
    "national@": {p: 200 if p == "seknas" else 403 for p in PERSONAS},
    "national_csv@": {p: 200 if p == "seknas" else 403 for p in PERSONAS},
    "national_xlsx@": {p: 200 if p == "seknas" else 403 for p in PERSONAS},
    "report_list@": dict.fromkeys(PERSONAS, 200),
}
for key in GET_MATRIX:
    GET_MATRIX[key]["anonymous"] = 302


def _url(world, key):
    name, target = key.split("@")
    if not target:
        return reverse(f"reports:{name}")
    obj = world[target]
    return reverse(f"reports:{name}", args=[obj.pk])


@pytest.mark.parametrize("key", list(GET_MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_report_page_answers_each_persona_as_the_rule_says(world, login, key, persona):
    response = client_for(world, login, persona).get(_url(world, key))
    assert response.status_code == GET_MATRIX[key][persona], (key, persona)
    if response.status_code == 302:
        assert response.url.startswith("/accounts/login/")


POST_MATRIX = {
    # Only the Governor's office of the same province may review the TK report.
    "report_review@submitted": {p: 302 if p == "governor" else 403 if p in READERS else 404 for p in PERSONAS},
    # Writing a draft: the writer only; everyone else cannot even see it.
    "report_edit@draft": {p: 302 if p == "writer" else 404 for p in PERSONAS},
    "report_autosave@draft": {p: 200 if p == "writer" else 404 for p in PERSONAS},
    # The submitted report is locked: the writer gets a clear refusal, readers 403.
    "report_autosave@submitted": {p: 409 if p == "writer" else 403 if p in READERS else 404 for p in PERSONAS},
}
for key in POST_MATRIX:
    POST_MATRIX[key]["anonymous"] = 302


@pytest.mark.parametrize("key", list(POST_MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_report_action_is_refused_to_the_wrong_persona_and_changes_nothing(world, login, key, persona):
    name = key.split("@")[0]
    data = {"decision": "diterima"} if name == "report_review" else post_data(world[key.split("@")[1]])
    before = snapshot(world)
    response = client_for(world, login, persona).post(_url(world, key), data)
    expected = POST_MATRIX[key][persona]
    assert response.status_code == expected, (key, persona, response.status_code)
    if expected not in (200, 302) or persona == "anonymous":
        assert snapshot(world) == before


@pytest.mark.parametrize("persona", ["colleague", "outsider", "seknas", "governor"])
def test_the_attachment_endpoints_are_the_writers_alone(world, login, persona):
    draft = world["draft"]
    c = client_for(world, login, persona)
    assert c.post(reverse("reports:attachment_add", args=[draft.pk]), {}).status_code == 404
    assert c.get(reverse("reports:attachment_download", args=[draft.pk, 1])).status_code == 404


def test_seknas_lists_submitted_reports_of_every_province_and_no_draft(world, login, seknas_user, clock):
    other = report_of("tk-triwulan", province="96")
    other_tk = member("tk-provinsi", "96")
    services.do_save_draft(user=other_tk, report=other, **content(other))
    services.do_submit_report(user=other_tk, report=other)
    page = table(login(seknas_user).get(reverse("reports:report_list")).content.decode())
    assert "TK PNPM-MP Provinsi Jawa Tengah" in page and "TK PNPM-MP Provinsi Papua Barat Daya" in page
    assert "2026-Q4" not in page  # the drafts
    assert "PjOProv" not in page


def test_a_province_never_sees_another_provinces_reports(world, login, tk_outsider):
    page = table(login(tk_outsider).get(reverse("reports:report_list")).content.decode())
    assert "Jawa Tengah" not in page
    assert "TK PNPM-MP Provinsi DI Yogyakarta" in page  # its own drafts


def test_the_governors_office_sees_the_tk_report_of_its_province_but_not_pjoprov_drafts(world, login, gubernur_office):
    page = table(login(gubernur_office).get(reverse("reports:report_list")).content.decode())
    assert reverse("reports:report_detail", args=[world["submitted"].pk]) in page
    assert "PjOProv" not in page


def test_tk_provinsi_reviews_the_pjoprov_report_and_the_governor_cannot_see_it(
    world, login, pjoprov_member, tk_member, gubernur_office
):
    report = report_of("pjoprov-bulanan", period="2026-09")
    services.do_save_draft(user=pjoprov_member, report=report, **content(report))
    version = services.do_submit_report(user=pjoprov_member, report=report)
    assert login(gubernur_office).get(reverse("reports:version_detail", args=[version.pk])).status_code == 404
    response = login(tk_member).post(
        reverse("reports:report_review", args=[report.pk]),
        {"decision": "dikembalikan", "reason_masalah": "Sebutkan kecamatan yang terdampak."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED


def test_a_superuser_is_no_shortcut_to_drafts(world, client):
    from actors.models import User

    client.force_login(User.objects.create_superuser("root", "r@example.invalid", "pw-12345-x"))
    assert client.get(reverse("reports:report_detail", args=[world["draft"].pk])).status_code == 404


def test_the_report_list_uses_a_fixed_number_of_queries(world, login, seknas_user, django_assert_max_num_queries):
    c = login(seknas_user)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("reports:report_list")).status_code == 200
    for code in ("11", "12", "13", "14", "15", "16"):
        r = report_of("tk-triwulan", province=code)
        writer = member("tk-provinsi", code)
        services.do_save_draft(user=writer, report=r, **content(r))
        services.do_submit_report(user=writer, report=r)
    with django_assert_max_num_queries(12):
        page = table(c.get(reverse("reports:report_list")).content.decode())
    assert page.count("<tr") == 7
