from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Read-only: a document is issued by the app's services and never changed."""

    list_display = ("issued_at", "kind", "title", "version", "province", "signer_name", "signed")
    list_filter = ("kind", "signed", "province")
    list_select_related = ("province",)
    search_fields = ("code", "sha256", "title", "subject", "signer_name")
    date_hierarchy = "issued_at"
    exclude = ("source_type", "source_id")
