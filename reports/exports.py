"""Exports: a submitted version as a PDF in official form (ReportLab, pure
Python: no system library is needed) and as an Excel assessment table, and
the national matrix as CSV and Excel (openpyxl)."""

import csv
import datetime
import io
import re

from django.utils import translation
from django.utils.translation import gettext as _

from core.periods import period_label
from core.templatetags.fmt import tanggal, tanggal_lengkap, waktu_lokal
from documents import pdf
from documents.pdf import ExportUnavailable, clean  # noqa: F401  (the names views and tests use)

from .models import ReportSection

# A spreadsheet reads a cell starting with these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _date(iso):
    return datetime.date.fromisoformat(iso) if iso else None


def _period(snap):
    """The period in words, said again from its key: versions made before
    period_label existed hold the bare key."""
    return period_label(snap["period"]) if snap.get("period") else ""


def version_pdf(version, verification=None):
    """The version as a PDF in the official frame (documents.pdf): header,
    period, recipients, sections, assessment table, problems and constraints,
    signature block (with the verification QR code when `verification` is
    given), tembusan; the version number and submission time in the footer of
    every page, with "Halaman x dari y"."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer

    pdf.register_fonts()
    snap = version.snapshot
    province = version.report.province
    with translation.override("id"):
        s = pdf.styles()
        period = _period(snap)
        submitted = waktu_lokal(version.submitted_at, province)
        footer = _("%(label)s · Versi %(n)s · dikirim %(when)s · %(timing)s") % {
            "label": snap["type"]["name"] + (f" {period}" if period else ""),
            "n": version.number,
            "when": submitted,
            "timing": _("tepat waktu") if version.on_time else _("terlambat"),
        }
        story = [
            Paragraph(pdf.text(snap["actor"].upper()), s["head"]),
            Spacer(1, 4),
            Paragraph(pdf.text(snap["type"]["title"]), s["head"]),
            Paragraph(pdf.text(period or snap["title"]), s["sub"]),
            Spacer(1, 10),
            pdf.meta_table(
                [
                    [_("Kepada Yth."), ", ".join(snap["recipients"]) or "-"],
                    [_("Dari"), snap["actor"]],
                    [_("Periode"), period or _("Insidental")],
                    [_("Tenggat"), tanggal(_date(snap["due_date"])) or "-"],
                    [_("Versi"), f"{version.number} ({submitted})"],
                ],
                s["small"],
            ),
            Spacer(1, 6),
        ]
        for number, section in enumerate(snap["sections"], start=1):
            story.append(Paragraph(f"{number}. {pdf.text(section['title'])}", s["h2"]))
            story += pdf.paragraphs(section["text"], s["body"])
            if section["kind"] == ReportSection.Kind.ASSESSMENT and snap["assessment"]:
                rows = [["No.", _("Tingkat"), _("Kode"), _("Wilayah"), _("Penilaian"), _("Catatan")]]
                rows += [
                    [str(i), r["level_label"], r["unit_code"], r["unit_name"], r["rating_label"], r["note"]]
                    for i, r in enumerate(snap["assessment"], start=1)
                ]
                widths = [1 * cm, 3.3 * cm, 1.5 * cm, 3.5 * cm, 2.4 * cm, 5.3 * cm]
                story += [Spacer(1, 3), pdf.grid_table(rows, widths, s["small"])]
            if section["kind"] == ReportSection.Kind.LEDGER and snap.get("ledger"):
                rows = [[_("Kode"), _("Tugas pokok"), _("Kedudukan"), _("Bukti")]]
                rows += [[r["ref"], r["text"], r["standing_label"], ledger_evidence(r)] for r in snap["ledger"]]
                widths = [1.8 * cm, 6.2 * cm, 2.4 * cm, 6.6 * cm]
                story += [Spacer(1, 3), pdf.grid_table(rows, widths, s["small"])]
                # What the actor wrote, after the table: paragraphs break across
                # pages, a table row cannot (a long account would not fit one).
                for r in snap["ledger"]:
                    if r["account"]:
                        story.append(Paragraph(pdf.text(_("%(ref)s, uraian:") % {"ref": r["ref"]}), s["small"]))
                        story += pdf.paragraphs(r["account"], s["small"])
                    for o in r["occurrences"]:
                        when = o.get("occurred_on_label") or o["occurred_on"]
                        story.append(
                            Paragraph(
                                pdf.text(_("%(ref)s, kejadian %(when)s:") % {"ref": r["ref"], "when": when}), s["small"]
                            )
                        )
                        story += pdf.paragraphs(o["what"], s["small"])
                        if o["action"]:
                            story += pdf.paragraphs(
                                _("Yang dilakukan: %(action)s") % {"action": o["action"]}, s["small"]
                            )
            if section["kind"] in (ReportSection.Kind.PROBLEMS, ReportSection.Kind.CONSTRAINTS):
                items = [i for i in snap["issues"] if i["kind"] == section["kind"]]
                if items:
                    rows = [["No.", _("Kategori"), _("Uraian"), _("Status")]]
                    rows += [
                        [str(n), i["category_label"], i["description"], i["state_label"]]
                        for n, i in enumerate(items, start=1)
                    ]
                    widths = [1 * cm, 3.4 * cm, 9.4 * cm, 3.2 * cm]
                    story += [Spacer(1, 3), pdf.grid_table(rows, widths, s["small"])]
        if snap["attachments"]:
            story.append(Paragraph(pdf.text(_("Lampiran")), s["h2"]))
            story += [Paragraph(f"{n}. {pdf.text(a['name'])}", s["body"]) for n, a in enumerate(snap["attachments"], 1)]
        if snap["evidence"]:
            story.append(Paragraph(pdf.text(_("Bukti: tugas periode ini")), s["h2"]))
            story += [
                Paragraph(
                    f"{n}. {pdf.text(e['label'])} ({pdf.text(period_label(e['period']) or '-')}, "
                    f"{pdf.text(e['status'])})",
                    s["body"],
                )
                for n, e in enumerate(snap["evidence"], 1)
            ]

        sig = snap["signature"]
        closing = [
            Spacer(1, 14),
            pdf.signature_block(
                place_date=f"{sig['place']}, {tanggal_lengkap(_date(sig['date']))}",
                position=sig["position"],
                name=sig["name"],
                on_behalf_of=version.on_behalf_of,
                verification=verification,
                style_set=s,
            ),
        ]
        if snap["copies"]:
            closing += [Spacer(1, 10), Paragraph(f"<b>{pdf.text(_('Tembusan'))}:</b>", s["body"])]
            closing += [Paragraph(f"{n}. {pdf.text(c)}", s["body"]) for n, c in enumerate(snap["copies"], start=1)]
        return pdf.build(
            story=story,
            closing=closing,
            footer=footer,
            title=f"{snap['type']['title']} {period}".strip(),
            author=snap["actor"],
        )


def ledger_evidence(row):
    """A frozen ledger row's evidence as one text: where the standing comes
    from, then each piece; an account or occurrences are said to follow the
    table (the PDF prints them there)."""
    parts = [f"{row['source_label']}:"]
    parts += [f"{e['label']} ({e['note']})" if e["note"] else e["label"] for e in row["evidence"]]
    if row["account"]:
        parts.append(_("uraian di bawah tabel"))
    if row["occurrences"] and not row["evidence"]:
        parts.append(_("%(n)s kejadian di bawah tabel") % {"n": len(row["occurrences"])})
    if len(parts) == 1:
        parts.append("-")
    return " ".join(parts[:1] + ["; ".join(parts[1:])])


def _workbook():
    from openpyxl import Workbook
    from openpyxl.styles import Font

    return Workbook(), Font(bold=True)


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def append_row(sheet, values, font=None):
    """A row of an Excel sheet; text is always a text cell. openpyxl makes a
    formula of a string starting with "=" (and an error of "#N/A"): the data type
    is set back to string, and a value a spreadsheet would read as a formula gets
    the quote prefix, so that editing the cell in Excel keeps it text. Control
    characters are dropped (openpyxl refuses them)."""
    values = [clean(value) for value in values]
    sheet.append(values)
    if not values:
        return
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
            if value.startswith(FORMULA_START):
                cell.quotePrefix = True
        if font is not None:
            cell.font = font


ILLEGAL_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text):
    """A valid Excel sheet name: no []:*?/\\, at most 31 characters."""
    return ILLEGAL_SHEET_TITLE.sub("-", clean(text)).strip("' ")[:31].strip() or "-"


def version_assessment_xlsx(version):
    """The assessment table of a version as an Excel sheet; a version that
    froze its writer's duty ledger carries it on a second sheet, "Buku tugas"."""
    snap = version.snapshot
    workbook, bold = _workbook()
    sheet = workbook.active
    with translation.override("id"):
        period = _period(snap)
        sheet.title = sheet_title(_("Penilaian %(period)s") % {"period": period} if period else _("Penilaian kinerja"))
        append_row(sheet, [f"{snap['type']['name']} {period or snap['title']}"])
        append_row(sheet, [snap["actor"], _("Versi %(n)s") % {"n": version.number}])
        append_row(sheet, [])
        header = ["No.", _("Tingkat"), _("Kode wilayah"), _("Nama wilayah"), _("Penilaian"), _("Catatan")]
        append_row(sheet, header, font=bold)
        for i, r in enumerate(snap["assessment"], start=1):
            append_row(sheet, [i, r["level_label"], r["unit_code"], r["unit_name"], r["rating_label"], r["note"]])
        for column, width in zip("ABCDEF", (5, 16, 14, 30, 14, 50), strict=True):
            sheet.column_dimensions[column].width = width
        if snap.get("ledger"):
            _ledger_sheet(workbook.create_sheet(sheet_title(_("Buku tugas"))), snap, version, bold)
    return _save(workbook)


EXCEL_CELL_MAX = 32767


def _ledger_sheet(sheet, snap, version, bold):
    """The frozen duty ledger of a version: a row per duty, in seed order."""
    period = _period(snap)
    append_row(sheet, [_("Buku tugas %(actor)s") % {"actor": snap["actor"]}, period])
    append_row(sheet, [snap["actor"], _("Versi %(n)s") % {"n": version.number}])
    append_row(sheet, [])
    header = [_("Kode"), _("Tugas pokok"), _("Kedudukan"), _("Sumber"), _("Bukti"), _("Uraian"), _("Kejadian")]
    append_row(sheet, header, font=bold)
    for r in snap["ledger"]:
        evidence = "; ".join(f"{e['label']} ({e['note']})" if e["note"] else e["label"] for e in r["evidence"])
        occurrences = "; ".join(
            f"{o.get('occurred_on_label') or o['occurred_on']}: {o['what']}"
            + (f" ({o['action']})" if o["action"] else "")
            for o in r["occurrences"]
        )
        # Excel keeps at most 32,767 characters in a cell.
        cells = [r["ref"], r["text"], r["standing_label"], r["source_label"], evidence, r["account"], occurrences]
        append_row(sheet, [c if len(c) <= EXCEL_CELL_MAX else c[: EXCEL_CELL_MAX - 1] + "…" for c in cells])
    for column, width in zip("ABCDEFG", (12, 60, 16, 24, 50, 50, 40), strict=True):
        sheet.column_dimensions[column].width = width


def _matrix_rows(matrix):
    header = [
        _("Kode"),
        _("Provinsi"),
        *[p["label"] for p in matrix["periods"]],
        _("Wajib kirim"),
        _("Dikirim"),
        _("Tepat waktu"),
        _("Kelengkapan (%)"),
        _("Ketepatan waktu (%)"),
    ]
    rows = []
    for row in matrix["rows"]:
        t = row["tally"]
        rows.append(
            [
                row["province"].code,
                row["province"].name,
                *[str(c["label"]) for c in row["cells"]],
                t.expected,
                t.submitted,
                t.on_time,
                "" if t.completeness is None else t.completeness,
                "" if t.timeliness is None else t.timeliness,
            ]
        )
    t = matrix["tally"]
    total = [
        "",
        _("Nasional"),
        *[""] * len(matrix["periods"]),
        t.expected,
        t.submitted,
        t.on_time,
        "" if t.completeness is None else t.completeness,
        "" if t.timeliness is None else t.timeliness,
    ]
    return header, rows, total


def csv_cell(value):
    """A CSV cell a spreadsheet shows as typed: text a spreadsheet would run
    as a formula gets a leading single quote (OWASP, CSV injection)."""
    if not isinstance(value, str):
        return value
    value = clean(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def matrix_csv(matrix):
    """One report type's matrix as one CSV table (header, a row per province,
    the national total): ';'-separated, as spreadsheet programs in Indonesia
    expect (the decimal separator there is the comma), UTF-8 with a BOM so they
    read the encoding right."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header, rows, total = _matrix_rows(matrix)
    for row in (header, *rows, total):
        writer.writerow([csv_cell(value) for value in row])
    return "\ufeff" + out.getvalue()


def matrix_xlsx(matrices, year):
    """The whole matrix: a sheet per report type."""
    workbook, bold = _workbook()
    workbook.remove(workbook.active)
    for matrix in matrices:
        sheet = workbook.create_sheet(sheet_title(matrix["type"].code))
        header, rows, total = _matrix_rows(matrix)
        append_row(sheet, [matrix["type"].name, year])
        append_row(sheet, header, font=bold)
        for row in rows:
            append_row(sheet, row)
        append_row(sheet, total)
        sheet.column_dimensions["B"].width = 28
    if not workbook.worksheets:
        workbook.create_sheet(_("Kosong"))
    return _save(workbook)
