"""The review is given where the reviewer reads: on the latest submitted
version's page, for whoever may review it, posting to the same service."""

import re

import pytest
from django.urls import reverse

from reports import services
from reports.models import Report, ReportVersion
from tests.factories import member
from tests.reports.conftest import content

pytestmark = pytest.mark.django_db

FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)


def review_forms(html, report):
    """The forms on a page that post a review of `report`."""
    url = reverse("reports:report_review", args=[report.pk])
    return [body for action, body in FORM.findall(html) if action == url]


@pytest.fixture
def sent(tk_report, tk_member):
    services.do_save_draft(user=tk_member, report=tk_report, **content(tk_report))
    return services.do_submit_report(user=tk_member, report=tk_report)


def version_url(version):
    return reverse("reports:version_detail", args=[version.pk])


def status_of(report):
    return Report.objects.get(pk=report.pk).status


def test_the_reviewer_sees_the_review_form_on_the_version_page(sent, gubernur_office, login):
    page = login(gubernur_office).get(version_url(sent))
    assert page.status_code == 200
    forms = review_forms(page.content.decode(), sent.report)
    assert len(forms) == 1
    assert 'name="decision"' in forms[0] and 'name="reason_kemajuan"' in forms[0]
    assert 'name="version" value="1"' in forms[0]


def test_the_reviewer_acknowledges_from_the_version_page(sent, gubernur_office, login):
    c = login(gubernur_office)
    response = c.post(reverse("reports:report_review", args=[sent.report_id]), {"decision": "diterima", "version": "1"})
    assert response.status_code == 302 and response.url == version_url(sent)
    assert status_of(sent.report) == Report.Status.ACKNOWLEDGED
    page = c.get(version_url(sent)).content.decode()
    assert "Tanggapan disimpan." in page and "Diterima" in page
    assert review_forms(page, sent.report) == []  # reviewed: no form any more


def test_the_reviewer_returns_from_the_version_page_with_a_reason_per_section(sent, gubernur_office, login):
    c = login(gubernur_office)
    response = c.post(
        reverse("reports:report_review", args=[sent.report_id]),
        {"decision": "dikembalikan", "version": "1", "reason_kemajuan": "Sebutkan capaian per tahapan."},
    )
    assert response.status_code == 302 and response.url == version_url(sent)
    assert status_of(sent.report) == Report.Status.RETURNED
    page = c.get(version_url(sent)).content.decode()
    assert "Sebutkan capaian per tahapan." in page  # beside the section it concerns


def test_a_refused_review_shows_the_version_page_with_the_errors_and_what_was_typed(sent, gubernur_office, login):
    response = login(gubernur_office).post(
        reverse("reports:report_review", args=[sent.report_id]),
        {"decision": "dikembalikan", "version": "1", "note": "Catatan yang sudah diketik panjang."},
    )
    assert response.status_code == 400
    assert "reports/version_detail.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "alasan pada paling sedikit satu bagian" in html
    forms = review_forms(html, sent.report)
    assert len(forms) == 1 and "Catatan yang sudah diketik panjang." in forms[0]
    assert re.search(r'value="dikembalikan"[^>]*checked', forms[0])
    assert status_of(sent.report) == Report.Status.SUBMITTED


def test_the_report_page_points_the_reviewer_to_the_version_page(sent, gubernur_office, login):
    html = login(gubernur_office).get(reverse("reports:report_detail", args=[sent.report_id])).content.decode()
    assert review_forms(html, sent.report) == []
    assert f'href="{version_url(sent)}#tanggapan"' in html


def test_only_the_latest_version_is_reviewed(sent, tk_member, gubernur_office, login):
    report = sent.report
    services.do_review_report(
        user=gubernur_office, report=report, decision="dikembalikan", section_reasons={"kemajuan": "Kurang."}
    )
    report.refresh_from_db()
    services.do_save_draft(user=tk_member, report=report, **content(report))
    v2 = services.do_submit_report(user=tk_member, report=report)
    c = login(gubernur_office)
    assert review_forms(c.get(version_url(sent)).content.decode(), report) == []
    assert len(review_forms(c.get(version_url(v2)).content.decode(), report)) == 1
    # A form read on v1 and sent after v2 arrived reviews nothing.
    response = c.post(reverse("reports:report_review", args=[report.pk]), {"decision": "diterima", "version": "1"})
    assert response.status_code == 400
    assert "Baca versi terakhir lalu tanggapi." in response.content.decode()
    assert status_of(report) == Report.Status.SUBMITTED
    assert not hasattr(ReportVersion.objects.get(pk=v2.pk), "review")


@pytest.mark.parametrize("who", ["writer", "seknas", "tembusan"])
def test_readers_who_may_not_review_see_no_form_and_get_403(sent, tk_member, seknas_user, tk_pusat_user, login, who):
    user = {"writer": tk_member, "seknas": seknas_user, "tembusan": tk_pusat_user}[who]
    c = login(user)
    page = c.get(version_url(sent))
    assert page.status_code == 200
    assert review_forms(page.content.decode(), sent.report) == []
    response = c.post(reverse("reports:report_review", args=[sent.report_id]), {"decision": "diterima", "version": "1"})
    assert response.status_code == 403
    assert status_of(sent.report) == Report.Status.SUBMITTED


def test_another_provinces_reviewer_gets_404(sent, login):
    outsider = member("gubernur", "34", username="gub-diy")
    c = login(outsider)
    assert c.get(version_url(sent)).status_code == 404
    response = c.post(reverse("reports:report_review", args=[sent.report_id]), {"decision": "diterima", "version": "1"})
    assert response.status_code == 404
    assert status_of(sent.report) == Report.Status.SUBMITTED
