"""No way around the publish permission: every path that changes a story's status checks it in one place."""

from unittest import mock

import pytest

from articles import publishing
from articles.models import Article, Status

from .factories import make_article, make_user
from .test_admin import STORIES, messages_of, run_action, staff_with, unchanged_form_data
from .test_api import client_for
from .test_history import revert, revert_url

pytestmark = pytest.mark.django_db

WRITER = ("view_article", "add_article", "change_article", "view_historicalarticle")


@pytest.fixture
def writer(client):
    """A staff member who may edit stories but not publish or unpublish them."""
    client.force_login(staff_with("writer", *WRITER))
    return client


def published_then_drafted(client) -> tuple[Article, object]:
    """A story whose history holds a published version, now a draft; and that version."""
    article = make_article(headline="Published once")
    published = article.history.latest()
    article.status = Status.DRAFT
    article.headline = "Pulled back"
    article.save()
    return article, published


def test_a_writer_reverting_to_a_published_version_keeps_the_story_a_draft_and_is_told(writer):
    article, published = published_then_drafted(writer)
    response = revert(writer, published)
    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Published once", Status.DRAFT)
    assert writer.get(article.get_absolute_url()).status_code == 404
    assert (
        "That version was published; the story stays a draft: publishing is done with the Publish action."
        in messages_of(response)
    )


def test_an_editor_reverting_to_a_version_with_another_status_keeps_the_current_status_too(editor_client):
    article, published = published_then_drafted(editor_client)
    response = revert(editor_client, published)
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Published once", Status.DRAFT)
    assert any("the story stays a draft" in message for message in messages_of(response))


def test_a_revert_to_a_version_with_the_same_status_says_nothing_about_status(editor_client):
    article = make_article(headline="Right")
    version = article.history.latest()
    article.headline = "Wrong"
    article.save()
    response = revert(editor_client, version)
    assert not any("stays" in message for message in messages_of(response))


def test_the_revert_page_warns_before_a_revert_that_the_status_stays(writer):
    _article, published = published_then_drafted(writer)
    assert "the story stays a draft" in writer.get(revert_url(published)).text


def test_a_writer_s_form_cannot_publish_even_with_a_forged_status(writer):
    article = make_article(status=Status.DRAFT)
    url = f"{STORIES}{article.pk}/change/"
    data = unchanged_form_data(writer.get(url)) | {"status": Status.PUBLISHED, "headline": "Edited"}
    assert writer.post(url, data).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Edited", Status.DRAFT)


def test_a_writer_cannot_run_publish_or_unpublish(writer):
    draft, live = make_article(status=Status.DRAFT), make_article()
    assert messages_of(run_action(writer, STORIES, "publish", [draft], follow=True)) == ["No action selected."]
    run_action(writer, STORIES, "unpublish", [live], follow=True)
    statuses = Article.objects.order_by("pk").values_list("status", flat=True)
    assert list(statuses) == [Status.DRAFT, Status.PUBLISHED]


@pytest.mark.parametrize(
    ("method", "start", "payload"),
    [
        ("patch", Status.DRAFT, {"status": "published"}),
        ("patch", Status.PUBLISHED, {"status": "draft"}),
        ("post", None, {"headline": "New", "body": "Text.", "status": "published"}),
    ],
)
def test_the_api_refuses_a_status_change_without_the_permission(method, start, payload):
    api = client_for(make_user("writer", permissions=tuple(f"articles.{p}" for p in WRITER)))
    if start is None:
        response = api.post("/api/articles/", payload, format="json")
    else:
        article = make_article(status=start)
        response = api.patch(f"/api/articles/{article.slug}/", payload, format="json")
        article.refresh_from_db()
        assert article.status == start
    assert response.status_code == 403
    assert "articles.publish_article" in response.json()["detail"]


def test_every_path_asks_the_one_check(writer, editor_client):
    """Form, actions, revert and API each go through publishing.check_status_change, so one rule governs them."""
    draft = make_article(status=Status.DRAFT)
    article, published = published_then_drafted(editor_client)
    with mock.patch("articles.publishing.check_status_change", wraps=publishing.check_status_change) as check:
        run_action(editor_client, STORIES, "publish", [draft])
        url = f"{STORIES}{draft.pk}/change/"
        editor_client.post(url, unchanged_form_data(editor_client.get(url)) | {"status": Status.DRAFT})
        revert(editor_client, published)
        api = client_for(make_user("chief", groups=("Editors",)))
        api.patch(f"/api/articles/{draft.slug}/", {"status": "published"}, format="json")
    moves = [(call.args[1], call.args[2]) for call in check.call_args_list]
    assert (Status.DRAFT, Status.PUBLISHED) in moves  # the action, then the API
    assert (Status.PUBLISHED, Status.DRAFT) in moves  # the form
    assert moves.count((Status.DRAFT, Status.DRAFT)) >= 1  # the revert, which keeps the status
    assert len(moves) >= 4
