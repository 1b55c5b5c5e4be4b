"""The duty ledger in the admin: read-only (written through the ledger's
pages and services, ledger.services, audited)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import DutyAccount, DutyOccurrence, LedgerAttachment


class AccountAttachmentInline(ReadOnlyInline):
    model = LedgerAttachment
    fk_name = "account"
    fields = ("name", "content_type", "size", "uploaded_by")


class OccurrenceAttachmentInline(ReadOnlyInline):
    model = LedgerAttachment
    fk_name = "occurrence"
    fields = ("name", "content_type", "size", "uploaded_by")


@admin.register(DutyAccount)
class DutyAccountAdmin(ReadOnlyAdmin):
    list_display = ("actor", "duty", "period", "kind", "written_by", "updated_at")
    list_filter = ("kind", "period", "actor__kind")
    search_fields = ("text", "actor__province__name")
    list_select_related = ("actor__kind", "actor__province", "duty__kind", "written_by")
    inlines = [AccountAttachmentInline]


@admin.register(DutyOccurrence)
class DutyOccurrenceAdmin(ReadOnlyAdmin):
    list_display = ("actor", "duty", "occurred_on", "recorded_by", "recorded_at")
    list_filter = ("actor__kind",)
    search_fields = ("what", "action", "actor__province__name")
    date_hierarchy = "occurred_on"
    list_select_related = ("actor__kind", "actor__province", "duty__kind", "recorded_by")
    inlines = [OccurrenceAttachmentInline]
