"""Page-number pagination for every API list.

Kept apart from the views: DRF reads the pagination class while it defines its generic views, so a module
that also imports viewsets would import itself in a circle.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from ..caching import ArchivePaginator


class PageNumber(PageNumberPagination):
    # Counts kept until the next write; deep pages found on the index (see articles/caching.py).
    django_paginator_class = ArchivePaginator
    page_size = 20
    page_size_query_param = "page_size"
    # A larger page_size is served as this many rows, not refused: clients asking for "everything" still work.
    max_page_size = 100
    page_size_query_description = "Rows per page: 20 unless given, at most 100 (larger sizes give 100)."
    page_query_description = "Page number, from 1."
    # The schema says a page is a number; DRF's "last" would be an undocumented exception.
    last_page_strings = ()

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "").strip()
        if not value:
            return self.page_size
        if not value.isdecimal() or int(value) < 1:
            raise ValidationError({self.page_size_query_param: ["Give a whole number from 1 up."]})
        return min(int(value), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
