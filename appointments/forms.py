"""Forms for appointment proposals and their decisions. Choices are limited
to what the user may use; the services check everything again."""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Membership, Position, User, normalise_nip
from core.files import SCAN_TYPES, clean_upload
from core.forms import SaneDateField

from .models import Proposal

REQUIRED = _("Wajib diisi.")

# "Propose this person instead": the proposal form's GET parameter naming an
# existing account, signed by the server. It is handed out only to a proposer
# who typed that person's NIP or email, so it may pre-select an account the
# province's list does not hold (made by an administrator, or in another
# province) without letting anyone list accounts by number.
PERSON_PARAM = "orang"
# The salt keeps its old name: links handed out before the move still work.
_PERSON_SALT = "actors.proposal-person"


def person_token(user):
    return signing.dumps(user.pk, salt=_PERSON_SALT)


def person_from_token(token):
    """The active account a token names, or None (missing, forged, unknown)."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    try:
        pk = signing.loads(token, salt=_PERSON_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


class ProposalForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Pelaku"), queryset=Actor.objects.none(), empty_label=None)
    position = forms.ModelChoiceField(label=_("Jabatan"), queryset=Position.objects.none())
    user = forms.ModelChoiceField(
        label=_("Orang (akun yang sudah ada)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(orang baru: isi data di bawah)"),
        help_text=_("Kosongkan untuk mengusulkan orang yang belum punya akun."),
    )
    full_name = forms.CharField(label=_("Nama lengkap (orang baru)"), max_length=150, required=False)
    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        required=False,
        help_text=_("18 angka, bila pegawai negeri sipil; spasi boleh."),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, help_text=_("Tautan untuk membuat kata sandi dikirim ke alamat ini.")
    )
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    agency = forms.CharField(label=_("Instansi"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("Status jabatan"), choices=Membership.Mode.choices)
    acting_for = forms.ModelChoiceField(
        label=_("Bertindak untuk"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(tidak ada / jabatan lowong)"),
        help_text=_("Untuk Plt./Pj./Plh.: pejabat yang diwakili."),
    )
    replaces = forms.ModelChoiceField(
        label=_("Menggantikan"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("(tidak menggantikan siapa pun)"),
        help_text=_(
            "Masa jabatan orang ini berakhir sehari sebelum penetapan baru berlaku, dan tugas terbukanya "
            "dialihkan. Ketua/PjOProv/koordinator yang menjabat digantikan otomatis."
        ),
    )
    start_date = SaneDateField(label=_("Mulai"), error_messages={"required": REQUIRED})
    end_date = SaneDateField(label=_("Selesai"), required=False, help_text=_("Kosong bila belum ditentukan."))
    reason = forms.CharField(
        label=_("Alasan usulan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": REQUIRED},
    )
    draft_decree = forms.FileField(label=_("Draf SK"), required=False, help_text=_("PDF atau dokumen perkantoran."))
    cv = forms.FileField(label=_("Daftar riwayat hidup"), required=False)

    def __init__(self, *args, targets, proposal=None, user=None, person_token=None, **kwargs):
        """`targets`: [(actor, proposer actor)] from proposal_targets_for_user;
        `proposal`: the one being revised (its actor cannot change); `user`:
        the person proposing, never offered as the person to appoint (nobody
        proposes themselves: appointments.validation.refuse_self_proposal);
        `person_token`: the PERSON_PARAM of the page's URL, an existing
        account to pre-select (ignored unless valid)."""
        super().__init__(*args, **kwargs)
        chosen = person_from_token(person_token)
        if chosen is not None and user is not None and chosen.pk == user.pk:
            chosen = None
        self.chosen_person = chosen
        actors = [proposal.actor] if proposal else [t for t, _p in targets]
        actor_ids = [a.pk for a in actors]
        self.fields["actor"].queryset = Actor.objects.filter(pk__in=actor_ids).select_related("kind", "province")
        if proposal:
            self.fields["actor"].disabled = True
            self.fields["actor"].initial = proposal.actor_id
        kind_ids = {a.kind_id for a in actors}
        self.fields["position"].queryset = (
            Position.objects.filter(Q(kinds__in=kind_ids) | Q(kinds__isnull=True)).distinct().order_by("order")
        )
        province_ids = {a.province_id for a in actors}
        people = User.objects.filter(is_active=True, memberships__actor__province_id__in=province_ids)
        if user is not None and user.pk is not None:
            people = people.exclude(pk=user.pk)
        if chosen is not None:
            people = User.objects.filter(Q(pk__in=people.values("pk")) | Q(pk=chosen.pk))
            self.initial.update({"user": chosen.pk, "full_name": "", "nip": "", "email": "", "phone": "", "agency": ""})
        self.fields["user"].queryset = people.distinct().order_by("full_name", "username")
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"
        current = Membership.objects.current().filter(actor_id__in=actor_ids)
        self.fields["acting_for"].queryset = (
            User.objects.filter(pk__in=current.values("user_id")).distinct().order_by("full_name", "username")
        )
        self.fields["replaces"].queryset = current.select_related("user", "position", "actor__kind", "actor__province")
        self.fields["replaces"].label_from_instance = lambda m: f"{m.user} — {m.position_label}, {m.actor.name}"

    def clean_nip(self):
        nip = normalise_nip(self.cleaned_data.get("nip"))
        if nip and (not nip.isdigit() or len(nip) != 18):
            raise ValidationError(_("NIP terdiri atas 18 angka."))
        return nip

    def clean_draft_decree(self):
        return clean_upload(self.cleaned_data.get("draft_decree"))

    def clean_cv(self):
        return clean_upload(self.cleaned_data.get("cv"))

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("full_name") or "").strip():
            self.add_error("user", _("Pilih akun yang sudah ada, atau isi nama lengkap dan email orang baru."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data

    def proposal_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k not in ("actor", "draft_decree", "cv")}

    def uploads(self):
        from .models import ProposalAttachment

        pairs = [
            (ProposalAttachment.Kind.DRAFT_DECREE, self.cleaned_data.get("draft_decree")),
            (ProposalAttachment.Kind.CV, self.cleaned_data.get("cv")),
        ]
        return [(kind, upload) for kind, upload in pairs if upload]

    @staticmethod
    def initial_from(proposal):
        return {
            "actor": proposal.actor_id,
            "position": proposal.position_id,
            "user": proposal.user_id,
            "full_name": proposal.full_name,
            "nip": proposal.nip,
            "email": proposal.email,
            "phone": proposal.phone,
            "agency": proposal.agency,
            "mode": proposal.mode,
            "acting_for": proposal.acting_for_id,
            "replaces": proposal.replaces_id,
            "start_date": proposal.start_date,
            "end_date": proposal.end_date,
            "reason": proposal.reason,
        }


class ApprovalForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor SK"),
        max_length=100,
        help_text=_("Sesuai tertulis, mis. 188/379/KPTS/013/2021."),
        error_messages={"required": _("Nomor SK wajib diisi.")},
    )
    date = SaneDateField(label=_("Tanggal SK"), error_messages={"required": _("Tanggal SK wajib diisi.")})
    subject = forms.CharField(
        label=_("Tentang"), max_length=300, error_messages={"required": _("Isi perihal SK (tentang).")}
    )
    signed_by = forms.CharField(
        label=_("Ditandatangani oleh"),
        max_length=150,
        error_messages={"required": _("Isi nama pejabat yang menandatangani SK.")},
    )
    scan = forms.FileField(
        label=_("Pindaian SK"),
        help_text=_("PDF atau gambar (PNG, JPG)."),
        error_messages={"required": _("Unggah pindaian SK (PDF atau gambar).")},
    )
    start_date = SaneDateField(label=_("Berlaku mulai"), error_messages={"required": REQUIRED})
    end_date = SaneDateField(label=_("Berlaku sampai"), required=False, help_text=_("Kosong bila tidak ditentukan."))

    def __init__(self, *args, proposal, **kwargs):
        kwargs.setdefault("initial", {"start_date": proposal.start_date, "end_date": proposal.end_date})
        super().__init__(*args, **kwargs)
        self.requires_decree = proposal.requires_decree
        if not proposal.requires_decree:
            for name in ("number", "date", "subject", "signed_by", "scan"):
                del self.fields[name]

    def clean_number(self):
        value = self.cleaned_data["number"].strip()
        if not value:
            raise ValidationError(_("Nomor SK wajib diisi."))
        return value

    def clean_scan(self):
        return clean_upload(self.cleaned_data.get("scan"), allowed=SCAN_TYPES)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data

    def decree_data(self):
        if not self.requires_decree:
            return None
        return {k: self.cleaned_data[k] for k in ("number", "date", "subject", "signed_by")}


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan alasannya agar pengusul dapat menindaklanjuti.")},
    )


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Semua status")), *Proposal.Status.choices]
