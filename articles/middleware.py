"""A plain 503 with Retry-After, instead of a 500, while the database is down or restarting (issue 12).

Readers still get every page the cache holds (articles/caching.py answers those from the last cache generation
it read); the rest of their requests, and editors', meet a database that refuses connections. For safe methods
(GET, HEAD, OPTIONS) such a refusal becomes this 503, which tells browsers, crawlers and monitors to come back
soon; a write keeps Django's 500, since part of it may have happened.
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method not in SAFE_METHODS or not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        response = HttpResponse(
            "The site is briefly unavailable: its database is restarting. Please try again in a few seconds.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
