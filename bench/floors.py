"""Floor views: the story list and the API list served with as little work as Django allows.

Each floor starts from the real answer, taken once from the real view, and then serves it per request:
(a) as the finished bytes, (b) through the same template from the same in-memory context, no database,
(c) as the same data through `json.dumps`. What a real page costs above its floor is its queries and its
view logic. Mounted only by bench/urls.py, which only bench/settings.py names.
"""

import functools
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse

from articles.api.views import ArticleViewSet
from articles.views import ArticleListView


@dataclass(frozen=True)
class Snapshot:
    page: bytes
    template_names: list[str]
    context: dict
    api_data: list | dict  # plain JSON values, as the API sent them


@functools.cache
def snapshot(host: str) -> Snapshot:
    """The first page of the story list and of the API list, as the real views answer them on `host`."""
    factory = RequestFactory(headers={"host": host})
    # A request with a session is answered by the view itself, never from a cache shared between readers:
    # the snapshot needs the view's context, whatever a page cache holds.
    factory.cookies[settings.SESSION_COOKIE_NAME] = "benchmark-snapshot"
    request = factory.get(reverse("articles:list"))
    request.user = AnonymousUser()
    page = ArticleListView.as_view()(request)
    if not hasattr(page, "render"):
        raise ImproperlyConfigured("The story list must answer with a TemplateResponse for the template floor.")
    page.render()  # evaluates every queryset in the context, so that rendering it again needs no database
    request = factory.get(reverse("api:article-list"))
    request.user = AnonymousUser()
    api = ArticleViewSet.as_view({"get": "list"})(request)
    api.render()
    names = [page.template_name] if isinstance(page.template_name, str) else list(page.template_name)
    return Snapshot(
        page=page.content,
        template_names=names,
        context=page.context_data,
        api_data=json.loads(api.content),
    )


def page_bytes(request):
    """Floor (a): the story list's finished bytes."""
    return HttpResponse(snapshot(request.get_host()).page)


def page_template(request):
    """Floor (b): the story list's template rendered from in-memory data."""
    taken = snapshot(request.get_host())
    return render(request, taken.template_names, taken.context)


def api_json(request):
    """Floor (c): the API list's data through json.dumps, as compact as the API's own renderer."""
    text = json.dumps(snapshot(request.get_host()).api_data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(text, content_type="application/json")
