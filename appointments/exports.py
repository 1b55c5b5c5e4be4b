"""The official record of a recorded decree (SK) as a PDF, in the frame every
issued document shares (documents.pdf): issued once when the decree is
recorded (appointments/issued.py), with the verification QR code in the
signature block. The signed scan of the SK stays as it was uploaded; this is
the application's record of it."""

from django.utils import translation
from django.utils.translation import gettext as _

from actors.models import Membership
from core.templatetags.fmt import tanggal, tanggal_lengkap, waktu_lokal
from documents import pdf


def _mode(proposal):
    """Definitif, or the acting kind in words, with whom the person acts for
    and whom they replace when the proposal says so."""
    words = {
        Membership.Mode.DEFINITIVE: _("Definitif"),
        Membership.Mode.PLT: _("Pelaksana Tugas (Plt.)"),
        Membership.Mode.PJ: _("Penjabat (Pj.)"),
        Membership.Mode.PLH: _("Pelaksana Harian (Plh.)"),
    }.get(proposal.mode, proposal.get_mode_display())
    parts = [words]
    if proposal.acting_for_id:
        parts.append(_("bertindak untuk %(name)s") % {"name": proposal.acting_for.display_name})
    if proposal.replaces_id:
        parts.append(_("menggantikan %(name)s") % {"name": proposal.replaces.user.display_name})
    return ", ".join(parts)


def _person(proposal):
    nip = proposal.user.nip if proposal.user_id else proposal.nip
    name = proposal.person_name
    return f"{name} (NIP {nip})" if nip else name


def _term(decree):
    end = tanggal(decree.end_date) if decree.end_date else _("sampai ditetapkan lain")
    return f"{tanggal(decree.start_date)} – {end}"


def decree_pdf(decree, verification=None):
    """The decree's record as a PDF in the official frame: the province's
    header, number and subject, who is appointed to which seat for which
    term, who signed and who recorded it, the signature block (with the
    verification QR code when `verification` is given); the number and the
    recording time in the footer of every page, with "Halaman x dari y"."""
    from reportlab.platypus import Paragraph, Spacer

    pdf.register_fonts()
    proposal = decree.proposal
    province = decree.actor.province
    approver = proposal.approver_actor.name
    with translation.override("id"):
        s = pdf.styles()
        recorded = waktu_lokal(decree.created_at, province)
        footer = _("SK %(number)s · dicatat %(when)s") % {"number": decree.number, "when": recorded}
        government = _("Pemerintah Provinsi %(name)s") % {"name": province.name} if province else approver
        story = [
            Paragraph(pdf.text(government.upper()), s["head"]),
            Spacer(1, 4),
            Paragraph(pdf.text(_("CATATAN KEPUTUSAN GUBERNUR")), s["head"]),
            Paragraph(pdf.text(_("Nomor %(number)s") % {"number": decree.number}), s["sub"]),
            Paragraph(pdf.text(_("tentang %(subject)s") % {"subject": decree.subject}), s["sub"]),
            Spacer(1, 10),
            pdf.meta_table(
                [
                    [_("Tanggal SK"), tanggal_lengkap(decree.date)],
                    [_("Pelaku"), decree.actor.name],
                    [_("Jabatan"), proposal.position_label],
                    [_("Nama"), _person(proposal)],
                    [_("Status jabatan"), _mode(proposal)],
                    [_("Masa jabatan"), _term(decree)],
                    [_("Ditandatangani oleh"), decree.signed_by],
                    [
                        _("Dicatat oleh / pada"),
                        f"{decree.created_by.display_name} / {recorded}",
                    ],
                ],
                s["small"],
            ),
            Spacer(1, 8),
            Paragraph(
                pdf.text(
                    _(
                        "Dokumen ini adalah catatan elektronik atas Keputusan Gubernur tersebut di atas. "
                        "Pindaian SK yang ditandatangani (%(scan)s) disimpan dalam aplikasi."
                    )
                    % {"scan": decree.scan_name}
                ),
                s["body"],
            ),
        ]
        place = province.name if province else ""
        date = tanggal_lengkap(decree.date)
        closing = [
            Spacer(1, 14),
            pdf.signature_block(
                place_date=f"{place}, {date}" if place else date,
                position=approver,
                name=decree.signed_by,
                verification=verification,
                style_set=s,
            ),
        ]
        return pdf.build(
            story=story,
            closing=closing,
            footer=footer,
            title=_("SK %(number)s tentang %(subject)s") % {"number": decree.number, "subject": decree.subject},
            author=approver,
        )
