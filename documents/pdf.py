"""The official PDF frame every issued document shares (ReportLab, pure
Python): DejaVu Sans embedded, the footer on every page with "Halaman x dari
y", the closing block that never starts a page alone, and the signature block
with the verification QR code and the code in words. reports, meetings and
appointments lay out their own body and call `build`."""

import io
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _


class ExportUnavailable(Exception):
    """The PDF's font (a Debian package, not pinned by pip as the libraries
    are) is missing or unreadable: the view shows a clear message."""


# Characters Excel's XML cannot hold and openpyxl refuses (IllegalCharacterError):
# the C0 controls except tab, newline and carriage return. A stored version may
# hold them (pasted from another program); versions are immutable, so every
# export drops them instead of failing.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# A vertical tab is the line break a word processor pastes (Shift+Enter); a form
# feed, its page break.
LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def clean(value):
    """Text without control characters: tab and newline stay, a vertical tab
    or form feed becomes a newline, the others go."""
    return CONTROL_CHARACTERS.sub("", value.translate(LINE_BREAKS)) if isinstance(value, str) else value


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


def text(value):
    """User text for a ReportLab Paragraph: no control characters, markup escaped."""
    return escape(clean(value or ""))


def paragraphs(value, style):
    """A Paragraph per line of user text (an empty line keeps its height)."""
    from reportlab.platypus import Paragraph

    return [Paragraph(text(line) or "&nbsp;", style) for line in clean(value or "").splitlines()]


def styles():
    """The ParagraphStyles of the official format, by name."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "head": ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=12, leading=15, alignment=TA_CENTER),
        "sub": ParagraphStyle("sub", parent=body, alignment=TA_CENTER),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3),
        "code": ParagraphStyle("code", parent=body, fontSize=7.5, leading=9.5),
    }


def meta_table(rows, style):
    """The label/value table under the header (Kepada, Dari, Periode...)."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Table, TableStyle

    table = Table([[Paragraph(text(a), style), Paragraph(text(b), style)] for a, b in rows], [3.2 * cm, 13 * cm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def grid_table(rows, widths, style):
    """A table with a header row and a grid (assessment, attendance, issues)."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    table = Table([[Paragraph(text(str(c)), style) for c in row] for row in rows], widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3f0f8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


@dataclass(frozen=True)
class Verification:
    """What the signature block prints for checking the document: the
    verification page's address (in the QR code) and the code in words."""

    url: str
    code_words: str


def qr_drawing(url, size):
    """The QR code of `url` (segno) as a flowable of vector squares, `size`
    points wide: crisp at any zoom and in print, no image library and no font."""
    import segno
    from reportlab.platypus import Flowable

    qr = segno.make(url, error="m", micro=False)
    border = 2  # modules of quiet zone; the table cell around adds more white
    matrix = [list(row) for row in qr.matrix]
    unit = size / (len(matrix) + 2 * border)

    class QrCode(Flowable):
        def wrap(self, available_width, available_height):
            return size, size

        def draw(self):
            canvas = self.canv
            canvas.saveState()
            canvas.setFillColorRGB(0, 0, 0)
            for y, row in enumerate(matrix):
                for x, dark in enumerate(row):
                    if dark:
                        canvas.rect((x + border) * unit, size - (y + border + 1) * unit, unit, unit, stroke=0, fill=1)
            canvas.restoreState()

    return QrCode()


def signature_block(*, place_date, position, name, on_behalf_of="", verification=None, style_set=None):
    """The signature block: place and date, position, room for the signature,
    the name; "a.n." under it when an acting official signed; on the left the
    QR code to the verification page and the code in words."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    s = style_set or styles()
    signature_rows = [
        [Paragraph(text(place_date), s["body"])],
        [Paragraph(text(position), s["body"])],
        [Spacer(1, 40)],
        [Paragraph(f"<b><u>{text(name)}</u></b>", s["body"])],
    ]
    if on_behalf_of:
        signature_rows.append([Paragraph(text(on_behalf_of), s["small"])])
    signature = Table(signature_rows, [8 * cm])
    signature.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR)]))
    if verification is None:
        signature.hAlign = "RIGHT"
        return signature
    check = Table(
        [
            [qr_drawing(verification.url, 3.2 * cm)],
            [Paragraph(text(_("Periksa keaslian: %(url)s") % {"url": verification.url}), s["code"])],
            [Paragraph(text(_("Kode verifikasi: %(code)s") % {"code": verification.code_words}), s["code"])],
        ],
        [7.5 * cm],
    )
    check.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    block = Table([[check, signature]], [8.5 * cm, 8.5 * cm])
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return block


def page_form(n):
    return f"halaman-{n}"


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
            x, y, font, size, label = self.page_label
            for n in range(1, total + 1):
                self.beginForm(page_form(n))
                self.setFont(font, size)
                self.drawRightString(x, y, label % {"n": n, "total": total})
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


def build(*, story, closing, footer, title, author):
    """The PDF's bytes: `story` (header and body), then the `closing` block
    (signature, a.n., tembusan) kept with the end of the body; `footer` and
    "Halaman x dari y" on every page. Fonts must be registered (register_fonts)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    PagedCanvas, KeepWithTail = _pdf_classes()
    footer = clean(footer)
    # The page number has a line of its own under the footer: a long document
    # name in DejaVu Sans would run into it.
    PagedCanvas.page_label = (A4[0] - 2 * cm, 0.8 * cm, REGULAR, 8, _("Halaman %(n)s dari %(total)s"))

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setStrokeColor(colors.grey)
        canvas.line(2 * cm, 1.6 * cm, A4[0] - 2 * cm, 1.6 * cm)
        canvas.drawString(2 * cm, 1.2 * cm, footer)
        canvas.doForm(page_form(doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2.2 * cm,
        title=clean(title),
        author=clean(author),
        initialFontName=REGULAR,
    )
    story = list(story)
    # The closing block keeps the end of the body with it. The height a page
    # offers: the frame's, less its padding (6 pt each side) and a margin.
    story.append(KeepWithTail(story.pop(), closing, doc.height - 36))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=PagedCanvas)
    return buffer.getvalue()
