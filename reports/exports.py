"""Exports: a submitted version as a PDF in official form (ReportLab, pure
Python: no system library is needed) and as an Excel assessment table, and
the national matrix as CSV and Excel (openpyxl)."""

import csv
import datetime
import io
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _

from core.templatetags.fmt import tanggal, tanggal_lengkap, waktu_lokal

from .models import ReportSection


class ExportUnavailable(Exception):
    """A library the export needs is missing: the view shows a clear message."""


def _date(iso):
    return datetime.date.fromisoformat(iso) if iso else None


def _paragraphs(text, style, paragraph):
    return [paragraph(escape(line) or "&nbsp;", style) for line in (text or "").splitlines()] or []


def version_pdf(version):
    """The version as a PDF: header, period, recipients, sections, assessment
    table, problems and constraints, signature block, tembusan; the version
    number and submission time in the footer of every page."""
    try:
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
        from reportlab.lib.units import cm
        from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    except ImportError as exc:  # pragma: no cover - the dependency is pinned
        raise ExportUnavailable(str(exc)) from exc

    snap = version.snapshot
    province = version.report.province
    with translation.override("id"):
        styles = getSampleStyleSheet()
        body = ParagraphStyle("body", parent=styles["Normal"], fontSize=10, leading=13)
        small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
        head = ParagraphStyle("head", parent=body, fontName="Helvetica-Bold", fontSize=12, alignment=TA_CENTER)
        sub = ParagraphStyle("sub", parent=body, alignment=TA_CENTER)
        h2 = ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=11, spaceBefore=8, spaceAfter=3)
        submitted = waktu_lokal(version.submitted_at, province)
        footer = _("%(label)s · Versi %(n)s · dikirim %(when)s · %(timing)s") % {
            "label": snap["type"]["name"] + (f" {snap['period']}" if snap["period"] else ""),
            "n": version.number,
            "when": submitted,
            "timing": _("tepat waktu") if version.on_time else _("terlambat"),
        }

        def on_page(canvas, doc):
            canvas.saveState()
            canvas.setFont("Helvetica", 8)
            canvas.setStrokeColor(colors.grey)
            canvas.line(2 * cm, 1.6 * cm, A4[0] - 2 * cm, 1.6 * cm)
            canvas.drawString(2 * cm, 1.2 * cm, footer)
            canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, _("Halaman %(n)s") % {"n": doc.page})
            canvas.restoreState()

        story = [
            Paragraph(escape(snap["actor"].upper()), head),
            Spacer(1, 4),
            Paragraph(escape(snap["type"]["title"]), head),
            Paragraph(escape(snap["period_label"] or snap["title"]), sub),
            Spacer(1, 10),
        ]
        meta = [
            [_("Kepada Yth."), ", ".join(snap["recipients"]) or "-"],
            [_("Dari"), snap["actor"]],
            [_("Periode"), snap["period_label"] or _("Insidental")],
            [_("Tenggat"), tanggal(_date(snap["due_date"])) or "-"],
            [_("Versi"), f"{version.number} ({submitted})"],
        ]
        table = Table(
            [[Paragraph(escape(a), small), Paragraph(escape(b), small)] for a, b in meta], [3.2 * cm, 13 * cm]
        )
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        story += [table, Spacer(1, 6)]

        grid = TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3f0f8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
        for number, section in enumerate(snap["sections"], start=1):
            story.append(Paragraph(f"{number}. {escape(section['title'])}", h2))
            story += _paragraphs(section["text"], body, Paragraph)
            if section["kind"] == ReportSection.Kind.ASSESSMENT and snap["assessment"]:
                rows = [["No.", _("Tingkat"), _("Kode"), _("Wilayah"), _("Penilaian"), _("Catatan")]]
                rows += [
                    [str(i), r["level_label"], r["unit_code"], r["unit_name"], r["rating_label"], r["note"]]
                    for i, r in enumerate(snap["assessment"], start=1)
                ]
                widths = [1 * cm, 2.6 * cm, 1.8 * cm, 3.6 * cm, 2.2 * cm, 5.8 * cm]
                t = Table([[Paragraph(escape(c), small) for c in row] for row in rows], widths, repeatRows=1)
                t.setStyle(grid)
                story += [Spacer(1, 3), t]
            if section["kind"] in (ReportSection.Kind.PROBLEMS, ReportSection.Kind.CONSTRAINTS):
                items = [i for i in snap["issues"] if i["kind"] == section["kind"]]
                if items:
                    rows = [["No.", _("Kategori"), _("Uraian"), _("Status")]]
                    rows += [
                        [str(n), i["category_label"], i["description"], i["state_label"]]
                        for n, i in enumerate(items, start=1)
                    ]
                    t = Table(
                        [[Paragraph(escape(c), small) for c in row] for row in rows],
                        [1 * cm, 3.4 * cm, 9.4 * cm, 3.2 * cm],
                        repeatRows=1,
                    )
                    t.setStyle(grid)
                    story += [Spacer(1, 3), t]
        if snap["attachments"]:
            story.append(Paragraph(escape(_("Lampiran")), h2))
            story += [Paragraph(f"{n}. {escape(a['name'])}", body) for n, a in enumerate(snap["attachments"], 1)]
        if snap["evidence"]:
            story.append(Paragraph(escape(_("Bukti: tugas periode ini")), h2))
            story += [
                Paragraph(f"{n}. {escape(e['label'])} ({escape(e['period'] or '-')}, {escape(e['status'])})", body)
                for n, e in enumerate(snap["evidence"], 1)
            ]

        sig = snap["signature"]
        signature = Table(
            [
                [""],
                [Paragraph(escape(f"{sig['place']}, {tanggal_lengkap(_date(sig['date']))}"), body)],
                [Paragraph(escape(sig["position"]), body)],
                [Spacer(1, 40)],
                [Paragraph(f"<b><u>{escape(sig['name'])}</u></b>", body)],
            ],
            [8 * cm],
            hAlign="RIGHT",
        )
        story += [Spacer(1, 14), KeepTogether(signature)]
        if version.on_behalf_of:
            story.append(Paragraph(escape(version.on_behalf_of), small))
        if snap["copies"]:
            story += [Spacer(1, 10), Paragraph(f"<b>{escape(_('Tembusan'))}:</b>", body)]
            story += [Paragraph(f"{n}. {escape(c)}", body) for n, c in enumerate(snap["copies"], start=1)]

        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=2 * cm,
            bottomMargin=2.2 * cm,
            title=f"{snap['type']['title']} {snap['period_label']}",
            author=snap["actor"],
        )
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
        return buffer.getvalue()


def _workbook():
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError as exc:  # pragma: no cover - the dependency is pinned
        raise ExportUnavailable(str(exc)) from exc
    return Workbook(), Font(bold=True)


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def version_assessment_xlsx(version):
    """The assessment table of a version as an Excel sheet."""
    snap = version.snapshot
    workbook, bold = _workbook()
    sheet = workbook.active
    with translation.override("id"):
        sheet.title = _("Penilaian kinerja")
        sheet.append([f"{snap['type']['name']} {snap['period_label'] or snap['title']}"])
        sheet.append([snap["actor"], _("Versi %(n)s") % {"n": version.number}])
        sheet.append([])
        header = ["No.", _("Tingkat"), _("Kode wilayah"), _("Nama wilayah"), _("Penilaian"), _("Catatan")]
        sheet.append(header)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for i, r in enumerate(snap["assessment"], start=1):
            sheet.append([i, r["level_label"], r["unit_code"], r["unit_name"], r["rating_label"], r["note"]])
    for column, width in zip("ABCDEF", (5, 16, 14, 30, 14, 50), strict=True):
        sheet.column_dimensions[column].width = width
    return _save(workbook)


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


def matrix_csv(matrices, year):
    out = io.StringIO()
    writer = csv.writer(out)
    for matrix in matrices:
        header, rows, total = _matrix_rows(matrix)
        writer.writerow([matrix["type"].name, year])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow(total)
        writer.writerow([])
    # A BOM so spreadsheet programs read the UTF-8 correctly.
    return "\ufeff" + out.getvalue()


def matrix_xlsx(matrices, year):
    workbook, bold = _workbook()
    workbook.remove(workbook.active)
    for matrix in matrices:
        sheet = workbook.create_sheet(matrix["type"].code[:31])
        header, rows, total = _matrix_rows(matrix)
        sheet.append([matrix["type"].name, year])
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = bold
        for row in rows:
            sheet.append(row)
        sheet.append(total)
        sheet.column_dimensions["B"].width = 28
    if not workbook.worksheets:
        workbook.create_sheet(_("Kosong"))
    return _save(workbook)
