"""While the database restarts: cached pages still served, the rest a plain 503, and back at once (issue 12).

The database is taken away by making every statement on the connection fail as a refused connection does
(an execute wrapper raising OperationalError), and given back by removing it. The tests commit (transaction
=True) so that the site may drop and reopen its connection as it would in production.
"""

import contextlib

import pytest
from django.db import OperationalError, connection
from django.test import Client

from articles import caching

from .factories import make_article, make_staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.QUERY_CACHE_SECONDS = 600
    getattr(caching, "_last", {}).clear()  # this process forgets the number it read


@contextlib.contextmanager
def database_down(failures: int | None = None):
    """Every statement (or the next `failures` of them) fails as against a database that is not there."""
    left = failures

    def refuse(execute, sql, params, many, context):
        nonlocal left
        if left is None or left > 0:
            if left is not None:
                left -= 1
            raise OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed')
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def test_a_cached_page_is_served_an_uncached_one_is_a_503_and_all_are_back_when_the_database_is(client):
    make_article(slug="a-story", headline="Rabat and Delhi sign a pact")
    listed = client.get("/articles/")
    assert listed.status_code == 200
    with database_down():
        again = client.get("/articles/")
        assert again.status_code == 200
        assert again.content == listed.content
        # Also from another process sharing the cache, which never read the number itself.
        getattr(caching, "_last", {}).clear()  # this process forgets the number it read
        assert client.get("/articles/").content == listed.content
        for path in ("/articles/a-story/", "/api/articles/", "/countries/", "/sitemap.xml"):
            answer = client.get(path)
            assert answer.status_code == 503, path
            assert answer["Retry-After"] == "5"
            assert answer["Content-Type"].startswith("text/plain")
            assert b"try again" in answer.content
            assert answer["Cache-Control"] == "no-store"
    page = client.get("/articles/a-story/")
    assert page.status_code == 200
    assert b"Rabat and Delhi sign a pact" in page.content


def test_the_first_request_after_a_restart_gets_its_page(client):
    make_article(slug="a-story")
    client.get("/articles/")
    # The restart closed the connection the site kept: its first statement fails, a new connection works.
    with database_down(failures=1):
        answer = client.get("/articles/a-story/")
    assert answer.status_code == 200


def test_with_nothing_read_yet_a_503_not_a_500(client):
    make_article(slug="a-story")
    with database_down():
        answer = client.get("/articles/")
    assert answer.status_code == 503


def test_editors_get_a_503_for_reads_and_writes_keep_their_error(settings):
    editor = make_staff("amina", editor=True)
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    with database_down():
        assert client.get("/admin/articles/article/").status_code == 503
        # Part of a write may have happened: not said to be safe to repeat.
        assert client.post("/admin/articles/article/add/", {"headline": "x"}).status_code == 500
