from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import clean_upload
from core.forms import ModelIdsField, NoControlCharacters, SaneDateField
from core.templatetags.fmt import tanggal

from . import services

FILE_HELP = _("Opsional. PDF, gambar atau dokumen perkantoran.")


class _Choices(ModelIdsField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, label, describe, **kwargs):
        self.describe = describe
        super().__init__(queryset=queryset, label=label, required=False, **kwargs)

    def label_from_instance(self, obj):
        return self.describe(obj)


def _task_label(task):
    return task.short_label(120)


def _meeting_label(meeting):
    return f"{meeting.title} ({tanggal(meeting.starts_at)})"


def _document_label(document):
    return document.title


class AccountForm(NoControlCharacters, forms.Form):
    """An ongoing duty's quarterly account: a few sentences and links to the
    actor's own work in that quarter (only what services accepts is offered)."""

    text = forms.CharField(
        label=_("Uraian pelaksanaan"),
        max_length=services.ACCOUNT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Beberapa kalimat: apa yang dilakukan pada triwulan ini untuk tugas ini."),
        error_messages={"required": _("Tuliskan uraian pelaksanaan tugas pada triwulan ini.")},
    )
    file = forms.FileField(label=_("Lampiran"), required=False, help_text=FILE_HELP)

    def __init__(self, *args, actor, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"] = _Choices(services.quarter_tasks(actor, period), _("Tugas terkait"), _task_label)
        self.fields["meetings"] = _Choices(services.quarter_meetings(actor, period), _("Rapat terkait"), _meeting_label)
        self.fields["documents"] = _Choices(
            services.quarter_documents(actor, period), _("Dokumen terkait"), _document_label
        )
        self.order_fields(["text", "tasks", "meetings", "documents", "file"])

    def clean_file(self):
        return clean_upload(self.cleaned_data.get("file"))


class OccurrenceForm(NoControlCharacters, forms.Form):
    occurred_on = SaneDateField(label=_("Tanggal kejadian"))
    what = forms.CharField(
        label=_("Apa yang terjadi"),
        max_length=services.OCCURRENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tuliskan apa yang terjadi.")},
    )
    action = forms.CharField(
        label=_("Apa yang dilakukan"),
        max_length=services.OCCURRENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tuliskan apa yang dilakukan.")},
    )
    file = forms.FileField(label=_("Lampiran"), required=False, help_text=FILE_HELP)

    def clean_file(self):
        return clean_upload(self.cleaned_data.get("file"))
