from django.core.exceptions import ValidationError
from django.db import DataError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Cursor pages: the same cost on the first and the thousandth page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor is opaque but not signed: one made up by hand can hold a
        # position that is not a value of the ordering field. That is a bad
        # cursor (404, as DRF answers one it cannot decode), never a 500.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, OverflowError, ValidationError, DataError):
            raise NotFound(self.invalid_cursor_message) from None
