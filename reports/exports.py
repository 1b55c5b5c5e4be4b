"""Exports: a submitted version as a PDF in official form (ReportLab, pure
Python: no system library is needed) and as an Excel assessment table, and
the national matrix as CSV and Excel (openpyxl)."""

import csv
import datetime
import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.periods import period_label
from core.templatetags.fmt import tanggal, tanggal_lengkap, waktu_lokal

from .models import ReportSection


class ExportUnavailable(Exception):
    """The PDF's font (a Debian package, not pinned by pip as the libraries
    are) is missing or unreadable: the view shows a clear message."""


# Characters Excel's XML cannot hold and openpyxl refuses (IllegalCharacterError):
# the C0 controls except tab, newline and carriage return. A stored version may
# hold them (pasted from another program); versions are immutable, so every
# export drops them instead of failing.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A spreadsheet reads a cell starting with these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# A vertical tab is the line break a word processor pastes (Shift+Enter); a form
# feed, its page break.
LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def clean(value):
    """Text of a stored version without control characters: tab and newline
    stay, a vertical tab or form feed becomes a newline, the others go."""
    return CONTROL_CHARACTERS.sub("", value.translate(LINE_BREAKS)) if isinstance(value, str) else value


def _date(iso):
    return datetime.date.fromisoformat(iso) if iso else None


def _period(snap):
    """The period in words, said again from its key: versions made before
    period_label existed hold the bare key."""
    return period_label(snap["period"]) if snap.get("period") else ""


# The PDF's font: DejaVu Sans, embedded, covers what people type in Indonesian and
# in names (Latin Extended-A/B and Additional, curly quotes, dashes, ≥, ², ±).
REGULAR, BOLD = "PnpmSans", "PnpmSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
FONT_PACKAGE = "fonts-dejavu-core"
_registered_fonts = set()


def register_fonts():
    """Register DejaVu Sans and its bold from settings.PDF_FONT_DIR (once per
    process); ExportUnavailable, naming the package to install, when missing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    directory = Path(str(settings.PDF_FONT_DIR))
    paths = {name: directory / filename for name, filename in FONT_FILES.items()}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise ExportUnavailable(
            _(
                "Huruf (font) untuk PDF tidak ditemukan: %(files)s. Pasang paket Debian %(package)s "
                "(apt-get install %(package)s, atau jalankan make install sebagai root) atau arahkan "
                "PDF_FONT_DIR ke folder berisi DejaVuSans.ttf dan DejaVuSans-Bold.ttf."
            )
            % {"files": ", ".join(missing), "package": FONT_PACKAGE}
        )
    for name, path in paths.items():
        if name not in _registered_fonts:
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except (TTFError, OSError) as exc:
                raise ExportUnavailable(
                    _("Huruf (font) %(file)s tidak dapat dibaca (%(error)s). Pasang ulang paket %(package)s.")
                    % {"file": path, "error": exc, "package": FONT_PACKAGE}
                ) from exc
            _registered_fonts.add(name)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def _text(value):
    """User text for a ReportLab Paragraph: no control characters, markup escaped."""
    return escape(clean(value or ""))


def _paragraphs(text, style, paragraph):
    return [paragraph(_text(line) or "&nbsp;", style) for line in clean(text or "").splitlines()]


def _pdf_classes():
    """ReportLab's classes the PDF needs, and two of ours made from them."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable, KeepTogether

    class PagedCanvas(Canvas):
        """Writes "Halaman x dari y" once the page count is known: every page
        draws a form named after its number (Canvas.doForm); save() defines the
        forms, now that the total is known (ReportLab resolves forms at save)."""

        page_label = None  # (x, y, font, size, text with %(n)s and %(total)s)

        def save(self):
            total = self.getPageNumber() - 1
            x, y, font, size, text = self.page_label
            for n in range(1, total + 1):
                self.beginForm(page_form(n))
                self.setFont(font, size)
                self.drawRightString(x, y, text % {"n": n, "total": total})
                self.endForm()
            super().save()

    class KeepWithTail(Flowable):
        """The end of the body (tail) and the closing block (signature, a.n.,
        tembusan): the block never starts a page without body text above it.
        When both do not fit, the tail is split so that its last part moves to
        the next page with the block, or (unsplittable) moves there whole."""

        def __init__(self, tail, block, frame_height):
            super().__init__()
            self.tail, self.block, self.frame_height = tail, block, frame_height

        def wrap(self, aW, aH):
            return aW, 0xFFFFFF  # always ask split() where to break, like KeepTogether

        def split(self, aW, aH):
            block_height = sum(f.wrap(aW, aH)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in self.block)
            tail_height = self.tail.wrap(aW, aH)[1] + self.tail.getSpaceBefore() + self.tail.getSpaceAfter()
            together = [self.tail, KeepTogether(self.block)]
            if tail_height + block_height <= aH:
                return together
            parts = self.tail.split(aW, aH - block_height) if aH > block_height else []
            if len(parts) < 2:
                if tail_height + block_height <= self.frame_height:
                    return []  # both start the next page
                # Taller than a page: the tail fills this one and goes on with the block.
                parts = self.tail.split(aW, aH)
            if len(parts) < 2:
                return []
            return [*parts[:-1], KeepWithTail(parts[-1], self.block, self.frame_height)]

    return PagedCanvas, KeepWithTail


def page_form(n):
    return f"halaman-{n}"


def version_pdf(version):
    """The version as a PDF: header, period, recipients, sections, assessment
    table, problems and constraints, signature block, tembusan; the version
    number and submission time in the footer of every page, with "Halaman x dari y"."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    PagedCanvas, KeepWithTail = _pdf_classes()

    snap = version.snapshot
    province = version.report.province
    with translation.override("id"):
        period = _period(snap)
        body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13)
        small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
        head = ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=12, leading=15, alignment=TA_CENTER)
        sub = ParagraphStyle("sub", parent=body, alignment=TA_CENTER)
        h2 = ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3)
        submitted = waktu_lokal(version.submitted_at, province)
        footer = clean(
            _("%(label)s · Versi %(n)s · dikirim %(when)s · %(timing)s")
            % {
                "label": snap["type"]["name"] + (f" {period}" if period else ""),
                "n": version.number,
                "when": submitted,
                "timing": _("tepat waktu") if version.on_time else _("terlambat"),
            }
        )
        # The page number has a line of its own under the footer: a long report name
        # in DejaVu Sans would run into it.
        PagedCanvas.page_label = (A4[0] - 2 * cm, 0.8 * cm, REGULAR, 8, _("Halaman %(n)s dari %(total)s"))

        def on_page(canvas, doc):
            canvas.saveState()
            canvas.setFont(REGULAR, 8)
            canvas.setStrokeColor(colors.grey)
            canvas.line(2 * cm, 1.6 * cm, A4[0] - 2 * cm, 1.6 * cm)
            canvas.drawString(2 * cm, 1.2 * cm, footer)
            canvas.doForm(page_form(doc.page))
            canvas.restoreState()

        story = [
            Paragraph(_text(snap["actor"].upper()), head),
            Spacer(1, 4),
            Paragraph(_text(snap["type"]["title"]), head),
            Paragraph(_text(period or snap["title"]), sub),
            Spacer(1, 10),
        ]
        meta = [
            [_("Kepada Yth."), ", ".join(snap["recipients"]) or "-"],
            [_("Dari"), snap["actor"]],
            [_("Periode"), period or _("Insidental")],
            [_("Tenggat"), tanggal(_date(snap["due_date"])) or "-"],
            [_("Versi"), f"{version.number} ({submitted})"],
        ]
        font = ("FONTNAME", (0, 0), (-1, -1), REGULAR)
        table = Table([[Paragraph(_text(a), small), Paragraph(_text(b), small)] for a, b in meta], [3.2 * cm, 13 * cm])
        table.setStyle(TableStyle([font, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        story += [table, Spacer(1, 6)]

        grid = TableStyle(
            [
                font,
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3f0f8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
        for number, section in enumerate(snap["sections"], start=1):
            story.append(Paragraph(f"{number}. {_text(section['title'])}", h2))
            story += _paragraphs(section["text"], body, Paragraph)
            if section["kind"] == ReportSection.Kind.ASSESSMENT and snap["assessment"]:
                rows = [["No.", _("Tingkat"), _("Kode"), _("Wilayah"), _("Penilaian"), _("Catatan")]]
                rows += [
                    [str(i), r["level_label"], r["unit_code"], r["unit_name"], r["rating_label"], r["note"]]
                    for i, r in enumerate(snap["assessment"], start=1)
                ]
                widths = [1 * cm, 3.3 * cm, 1.5 * cm, 3.5 * cm, 2.4 * cm, 5.3 * cm]
                t = Table([[Paragraph(_text(c), small) for c in row] for row in rows], widths, repeatRows=1)
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
                        [[Paragraph(_text(c), small) for c in row] for row in rows],
                        [1 * cm, 3.4 * cm, 9.4 * cm, 3.2 * cm],
                        repeatRows=1,
                    )
                    t.setStyle(grid)
                    story += [Spacer(1, 3), t]
        if snap["attachments"]:
            story.append(Paragraph(_text(_("Lampiran")), h2))
            story += [Paragraph(f"{n}. {_text(a['name'])}", body) for n, a in enumerate(snap["attachments"], 1)]
        if snap["evidence"]:
            story.append(Paragraph(_text(_("Bukti: tugas periode ini")), h2))
            story += [
                Paragraph(
                    f"{n}. {_text(e['label'])} ({_text(period_label(e['period']) or '-')}, {_text(e['status'])})",
                    body,
                )
                for n, e in enumerate(snap["evidence"], 1)
            ]

        sig = snap["signature"]
        signature = Table(
            [
                [Paragraph(_text(f"{sig['place']}, {tanggal_lengkap(_date(sig['date']))}"), body)],
                [Paragraph(_text(sig["position"]), body)],
                [Spacer(1, 40)],
                [Paragraph(f"<b><u>{_text(sig['name'])}</u></b>", body)],
            ],
            [8 * cm],
            hAlign="RIGHT",
        )
        signature.setStyle(TableStyle([font]))
        block = [Spacer(1, 14), signature]
        if version.on_behalf_of:
            block.append(Paragraph(_text(version.on_behalf_of), small))
        if snap["copies"]:
            block += [Spacer(1, 10), Paragraph(f"<b>{_text(_('Tembusan'))}:</b>", body)]
            block += [Paragraph(f"{n}. {_text(c)}", body) for n, c in enumerate(snap["copies"], start=1)]

        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=2 * cm,
            bottomMargin=2.2 * cm,
            title=clean(f"{snap['type']['title']} {period}".strip()),
            author=clean(snap["actor"]),
            initialFontName=REGULAR,
        )
        # The closing block keeps the end of the body with it. The height a page
        # offers: the frame's, less its padding (6 pt each side) and a margin.
        story.append(KeepWithTail(story.pop(), block, doc.height - 36))
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=PagedCanvas)
        return buffer.getvalue()


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
    """The assessment table of a version as an Excel sheet."""
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
