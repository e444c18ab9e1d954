"""The benchmark server's query counter (bench/settings.py only)."""

from django.db import connection

HEADER = "X-Bench-Queries"


def count_queries(get_response):
    """Say in a response header how many database queries the request made."""

    def middleware(request):
        queries = 0

        def counter(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response[HEADER] = str(queries)
        return response

    return middleware
