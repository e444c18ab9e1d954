"""The cache in front of the reader site and the API: what it serves, to whom, and that every write shows."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from articles import caching
from articles.importing import Importer
from articles.merging import merge_entries
from articles.models import Article, CacheGeneration, Status, TaggedCountry
from articles.triggers import CACHE_GENERATION

from .conftest import seed_path
from .factories import country, import_bytes, make_article, make_official, make_staff, make_user

pytestmark = pytest.mark.django_db

STORIES = "/admin/articles/article/"


@pytest.fixture(autouse=True)
def cached(settings):
    """Caching on, as in production (tests/conftest.py turns it off for the other tests)."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.QUERY_CACHE_SECONDS = 600


def get(client, path: str, **headers):
    """The answer and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, len(queries)


def fresh(client, path: str) -> str:
    """The page as the next anonymous reader gets it, asserting that it was rendered (not served as it was)."""
    response, queries = get(client, path)
    assert response.status_code == 200
    assert queries > 1, f"{path} came from the cache after a write"
    return response.content.decode()


# What is cached


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/articles/",
        "/articles/?country=india",
        "/articles/a-story/",
        "/countries/india/",
        "/countries/",
        "/feed/",
        "/countries/india/feed/",
        "/api/articles/",
        "/api/articles/a-story/",
        "/api/countries/india/",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-countries.xml",
    ],
)
def test_a_repeated_anonymous_request_is_answered_from_the_cache_with_one_query(client, path):
    make_article(slug="a-story").countries.add(country("IN"))
    first, _ = get(client, path)
    again, queries = get(client, path)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    # The one query reads the cache generation.
    assert queries == 1


def test_an_unchanged_answer_is_a_304_from_the_generation_alone(client):
    make_article()
    etag = client.get("/articles/")["ETag"]
    response, queries = get(client, "/articles/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert queries == 1


def test_after_a_write_the_old_etag_gets_the_new_page(client):
    article = make_article(headline="First headline")
    etag = client.get("/api/articles/")["ETag"]
    article.headline = "Second headline"
    article.save()
    response = client.get("/api/articles/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["results"][0]["headline"] == "Second headline"


def test_a_new_story_shows_in_the_cached_sitemap_on_the_next_request(client):
    make_article(slug="first")
    assert "/articles/first/" in client.get("/sitemap-stories.xml").text
    make_article(slug="second")
    assert "/articles/second/" in fresh(client, "/sitemap-stories.xml")


def test_browsers_and_proxies_must_revalidate_a_cached_answer(client):
    make_article()
    assert "no-cache" in client.get("/articles/")["Cache-Control"]


def test_a_page_that_is_not_found_is_not_kept(client):
    get(client, "/articles/no-such-story/")
    response, queries = get(client, "/articles/no-such-story/")
    assert response.status_code == 404
    assert queries > 1


# Who is served from the cache


def test_a_signed_in_editor_is_neither_served_from_the_cache_nor_stored_in_it(client):
    make_article(headline="Published")
    editor = make_staff("editor", editor=True)
    signed_in = client_for_staff(editor)
    response, queries = get(signed_in, "/articles/")
    assert queries > 1
    assert "private" in response["Cache-Control"]
    _, anonymous_queries = get(client, "/articles/")
    assert anonymous_queries > 1, "the editor's page was stored for everyone"
    _, again = get(signed_in, "/articles/")
    assert again > 1


def client_for_staff(user):
    signed_in = Client()
    signed_in.force_login(user)
    return signed_in


def test_an_editor_s_draft_list_never_reaches_anonymous_clients(client):
    make_article(slug="a-draft", status=Status.DRAFT)
    editor = make_user("api-editor", groups=("Editors",))
    token = Token.objects.create(user=editor)
    as_editor = client.get("/api/articles/?status=draft", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [story["slug"] for story in as_editor.json()["results"]] == ["a-draft"]
    assert "private" in as_editor["Cache-Control"]
    anonymous = client.get("/api/articles/?status=draft")
    assert anonymous.json()["results"] == []
    assert client.get("/api/articles/a-draft/").status_code == 404


def test_api_answers_vary_on_credentials(client):
    make_article()
    client.get("/api/articles/")
    vary = client.get("/api/articles/")["Vary"]
    assert "Authorization" in vary and "Cookie" in vary


def test_throttling_counts_answers_served_from_the_cache(client, settings):
    make_article()
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"].split("/")[0])
    statuses = [client.get("/api/articles/").status_code for _ in range(allowed + 1)]
    assert statuses == [200] * allowed + [429]


# Every write shows on the next request


def test_an_edit_shows_on_the_story_page_the_list_and_the_api(client):
    article = make_article(slug="a-story", headline="Old headline")
    paths = ["/articles/a-story/", "/articles/", "/api/articles/a-story/", "/feed/"]
    for path in paths:
        client.get(path)
    article.headline = "New headline"
    article.save()
    for path in paths:
        assert "New headline" in fresh(client, path), path


def test_publishing_with_the_admin_action_shows_on_the_next_request(client):
    # The action writes with bulk_update, which sends no signals.
    draft = make_article(headline="Waiting to be published", status=Status.DRAFT)
    assert "Waiting to be published" not in fresh(client, "/articles/")
    editor = client_for_staff(make_staff("publisher", superuser=True))
    editor.post(STORIES, {"action": "publish", "_selected_action": [draft.pk]})
    assert "Waiting to be published" in fresh(client, "/articles/")


def test_unpublishing_with_an_update_query_shows_on_the_next_request(client):
    article = make_article(slug="a-story", headline="Soon a draft")
    client.get("/api/articles/")
    Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)
    assert "Soon a draft" not in fresh(client, "/api/articles/")
    assert client.get("/articles/a-story/").status_code == 404


def test_tags_written_in_bulk_show_on_the_entry_page_and_in_the_filtered_list(client):
    article = make_article(headline="Now about Morocco")
    for path in ("/countries/morocco/", "/articles/?country=morocco"):
        assert "Now about Morocco" not in fresh(client, path)
    TaggedCountry.objects.bulk_create([TaggedCountry(content_object=article, tag=country("MA"))])
    for path in ("/countries/morocco/", "/articles/?country=morocco"):
        assert "Now about Morocco" in fresh(client, path)


def test_an_import_shows_on_the_next_request(client):
    assert "Rajnath Singh" not in fresh(client, "/articles/")
    import_bytes(Importer(), seed_path("000").read_bytes(), "000.txt")
    assert "Rajnath Singh" in fresh(client, "/articles/")
    assert "Rajnath Singh" in fresh(client, "/api/articles/")


def test_a_renamed_official_and_a_new_alias_show_in_the_api_and_on_story_pages(client):
    official = make_official("Karim Benani")
    make_article(slug="a-story").officials.add(official)
    for path in ("/api/officials/karim-benani/", "/articles/a-story/"):
        client.get(path)
    official.name = "Karim Bennani"
    official.save()
    official.aliases.create(name="K. Bennani")
    assert "Karim Bennani" in fresh(client, "/articles/a-story/")
    entry = client.get("/api/officials/karim-benani/").json()
    assert entry["name"] == "Karim Bennani"
    assert entry["aliases"] == ["K. Bennani"]


def test_a_merge_shows_on_the_survivor_s_page_and_the_old_address_redirects(client):
    survivor, duplicate = make_official("Amina Haddad"), make_official("A. Haddad")
    make_article(headline="Seen with the duplicate").officials.add(duplicate)
    assert "Seen with the duplicate" not in fresh(client, "/officials/amina-haddad/")
    client.get("/officials/a-haddad/")
    merge_entries(survivor, [duplicate], user=make_staff("merger", editor=True))
    assert "Seen with the duplicate" in fresh(client, "/officials/amina-haddad/")
    assert client.get("/officials/a-haddad/").status_code == 301


def test_the_list_s_count_and_filter_choices_follow_the_data(client):
    make_article().countries.add(country("MA"))
    page = fresh(client, "/articles/")
    morocco = '<span class="facet__name">Morocco</span> <span class="facet__count">{}<'
    assert "1 story" in page and morocco.format(1) in page
    make_article().countries.add(country("MA"))
    page = fresh(client, "/articles/")
    assert "2 stories" in page and morocco.format(2) in page


def test_a_new_generation_after_migrate_drops_pages_rendered_by_old_templates(client):
    make_article()
    client.get("/articles/")
    caching.bump()
    fresh(client, "/articles/")


def test_a_database_that_lost_its_generation_row_starts_a_new_one(client):
    make_article()
    CacheGeneration.objects.all().delete()
    fresh(client, "/articles/")
    assert CacheGeneration.objects.count() == 1
    before = caching.generation()
    make_article()
    assert caching.generation() != before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_installing_the_triggers_again_changes_nothing():
    CACHE_GENERATION.install()
    before = int(caching.generation())
    make_article()
    # One story, one row, committed: a second set of triggers would count it twice.
    assert int(caching.generation()) == before + 1


# Shared between app servers: Redis


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_prefix(settings) -> str:
    """Django's Redis backend at 127.0.0.1:6379, with keys of this test's own (they expire in a minute)."""
    prefix = f"ties-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
            "TIMEOUT": 60,
        }
    }
    settings.PAGE_CACHE_SECONDS = settings.QUERY_CACHE_SECONDS = 60
    return prefix


@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_with_redis_pages_are_shared_and_every_write_shows_on_the_next_request(client, redis_prefix):
    import redis

    article = make_article(slug="a-story", headline="Old headline")
    client.get("/articles/")
    _, queries = get(client, "/articles/")
    assert queries == 1
    # Kept in Redis, where any other app server finds it.
    assert redis.Redis(host="127.0.0.1", port=6379).keys(f"{redis_prefix}:*")
    article.headline = "New headline"
    article.save()
    assert "New headline" in fresh(client, "/articles/")
    Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)
    assert "New headline" not in fresh(client, "/articles/")


def cache_backend_with(**env: str) -> str:
    """The default cache as settings.py configures it from this environment."""
    show = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default'])"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", show],
        cwd=Path(__file__).resolve().parent.parent,
        env=clean | {"DJANGO_SETTINGS_MODULE": "ties_cms.settings", "DJANGO_SECRET_KEY": "k"} | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_the_cache_is_local_memory_unless_redis_url_names_a_server():
    assert "LocMemCache" in cache_backend_with()
    shared = cache_backend_with(REDIS_URL="redis://cache.example:6379/2")
    assert "RedisCache" in shared and "redis://cache.example:6379/2" in shared


@pytest.mark.parametrize("path", ["/", "/articles/", "/api/articles/", "/sitemap.xml"])
def test_a_cached_answer_carries_the_content_security_policy_without_a_nonce(client, path):
    make_article()
    first, again = client.get(path), client.get(path)
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in again["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
