"""The API's viewsets: stories and the three vocabularies, read by anyone, written by editors."""

from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from ..caching import cache_page
from ..models import Agreement, Article, Country, Official, Status
from . import rows, serializers
from .fields import SLUG
from .filters import ApiArticleFilter
from .parsers import TextJSONParser
from .permissions import ReadOrModelPermissions, check_status_change, may_see_drafts
from .schema import detail_responses, list_responses, write_responses


# Anonymous reads come from the cache until the next write, with an ETag from the cache generation; inside the
# handlers, so that throttling still counts them. Editors' answers get an ETag from the body
# (ConditionalGetMiddleware).
@method_decorator(cache_page, name="list")
@method_decorator(cache_page, name="retrieve")
class ResourceViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Read by slug; create and update with an input serializer, answer with the output one."""

    lookup_field = "slug"
    # Any path segment reaches the view, so that a malformed slug is a JSON 404 too, not Django's HTML page.
    lookup_value_regex = "[^/]+"
    permission_classes = [IsAuthenticatedOrReadOnly, ReadOrModelPermissions]
    parser_classes = [TextJSONParser]
    # Stories and entries are not deleted through the API: the admin merges entries and keeps their old slugs.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    input_serializer_class = None
    detail_serializer_class = None

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.base_queryset()

    def get_object(self):
        # Checked before the database sees it: PostgreSQL refuses some characters (NUL) in a query outright.
        if not SLUG.fullmatch(self.kwargs[self.lookup_field]):
            raise NotFound
        return super().get_object()

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return self.input_serializer_class
        if self.action == "retrieve":
            return self.detail_serializer_class or self.serializer_class
        return self.serializer_class

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self.written(serializer.instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return self.written(serializer.instance, status.HTTP_200_OK)

    def written(self, instance, status_code):
        """The saved object as readers see it, re-read for its annotations."""
        saved = self.base_queryset().get(pk=instance.pk)
        output = self.detail_serializer_class or self.serializer_class
        data = output(saved, context=self.get_serializer_context()).data
        headers = {"Location": data["url"]} if status_code == status.HTTP_201_CREATED else {}
        return Response(data, status=status_code, headers=headers)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Editors see drafts: a shared cache must not hand their answers to anyone else.
        patch_vary_headers(response, ["Authorization"])
        return response


@extend_schema_view(
    list=extend_schema(
        summary="Stories, newest first",
        description="Published stories. Editors with `articles.view_article` list drafts with `?status=draft`.",
        parameters=[
            OpenApiParameter(
                "q", str, description="The reader site's search; best matches first unless `ordering` is given."
            ),
            OpenApiParameter(
                "published_after", OpenApiTypes.DATE, description="Published on or after (YYYY-MM-DD)."
            ),
            OpenApiParameter(
                "published_before", OpenApiTypes.DATE, description="Published on or before (YYYY-MM-DD)."
            ),
        ],
        responses=list_responses(serializers.ArticleSerializer),
    ),
    retrieve=extend_schema(
        summary="One story",
        description="A published story; editors with `articles.view_article` also reach drafts.",
        responses=detail_responses(serializers.ArticleDetailSerializer),
    ),
    create=extend_schema(
        summary="Add a story",
        description="A new story is a draft unless `status` says published (needs `articles.publish_article`).",
        request=serializers.ArticleInputSerializer,
        responses=write_responses(serializers.ArticleDetailSerializer, status.HTTP_201_CREATED),
    ),
    update=extend_schema(
        summary="Replace a story's fields",
        description="Changing `status` needs `articles.publish_article`.",
        request=serializers.ArticleInputSerializer,
        responses=write_responses(serializers.ArticleDetailSerializer),
    ),
    partial_update=extend_schema(
        summary="Change some of a story's fields",
        description="Changing `status` needs `articles.publish_article`.",
        request=serializers.ArticleInputSerializer,
        responses=write_responses(serializers.ArticleDetailSerializer),
    ),
)
class ArticleViewSet(ResourceViewSet):
    """Published stories for everyone; editors with articles.view_article also reach drafts."""

    serializer_class = serializers.ArticleSerializer
    detail_serializer_class = serializers.ArticleDetailSerializer
    input_serializer_class = serializers.ArticleInputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiArticleFilter

    def base_queryset(self):
        return Article.objects.with_vocabularies()

    def get_queryset(self):
        stories = Article.objects.all() if may_see_drafts(self.request.user) else Article.objects.published()
        if self.action == "list":
            # A list shows no body: only the columns its rows show, and no tags (list() reads them).
            return stories.values(*rows.COLUMNS)
        return stories.with_vocabularies()

    @method_decorator(cache_page)  # as ResourceViewSet's list, which this one replaces
    def list(self, request, *args, **kwargs):
        """ArticleSerializer's rows (it documents them), built in one pass: see rows.py."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(rows.story_rows(page, request))

    def filter_queryset(self, queryset):
        # The filters shape lists; a story's own URL finds it whatever ?status= says.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def perform_create(self, serializer):
        check_status_change(self.request.user, Status.DRAFT, serializer.validated_data.get("status", Status.DRAFT))
        serializer.save()

    def perform_update(self, serializer):
        old = serializer.instance.status
        check_status_change(self.request.user, old, serializer.validated_data.get("status", old))
        serializer.save()


class EntryViewSet(ResourceViewSet):
    """A vocabulary: every entry, with the number of published stories tagged with it."""

    model = None

    def base_queryset(self):
        # The database keeps each entry's number of published stories (articles/counting.py).
        return (
            self.model.objects.annotate(article_count=F("story_count"))
            .prefetch_related("aliases")
            .order_by("name", "pk")
        )

    def get_queryset(self):
        entries = self.base_queryset()
        return entries if self.sees_every_entry() else entries.public()

    def sees_every_entry(self) -> bool:
        """Editors who may view the vocabulary see entries awaiting review that no published story names."""
        return self.request.user.has_perm(f"articles.view_{self.model._meta.model_name}")

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            # An entry merged into another keeps answering at its old slug, by pointing to the survivor.
            try:
                survivor, moved = self.model.by_slug_or_former_slug(kwargs[self.lookup_field])
            except self.model.DoesNotExist:
                raise Http404 from None
            if not moved or not (survivor.is_public or self.sees_every_entry()):
                raise
            url = reverse(f"api:{self.basename}-detail", args=[survivor.slug])
            return Response(status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": url})


def document_entries(output, input_serializer, one: str, many: str):
    a = "an" if one[0] in "aeiou" else "a"
    return extend_schema_view(
        list=extend_schema(
            summary=f"{many.capitalize()}, by name",
            description=f"Every {one}, with the number of published stories tagged with it.",
            responses=list_responses(output),
        ),
        retrieve=extend_schema(
            summary=f"One {one}",
            description=f"{a.capitalize()} {one} that was merged into another redirects to the survivor.",
            responses=detail_responses(output, may_move=True),
        ),
        create=extend_schema(
            summary=f"Add {a} {one}",
            description="Needs the model's add permission.",
            request=input_serializer,
            responses=write_responses(output, status.HTTP_201_CREATED),
        ),
        update=extend_schema(
            summary=f"Replace {a} {one}'s fields",
            description="Needs the model's change permission.",
            request=input_serializer,
            responses=write_responses(output),
        ),
        partial_update=extend_schema(
            summary=f"Change some of {a} {one}'s fields",
            description="Needs the model's change permission.",
            request=input_serializer,
            responses=write_responses(output),
        ),
    )


@document_entries(serializers.CountrySerializer, serializers.CountryInputSerializer, "country", "countries")
class CountryViewSet(EntryViewSet):
    model = Country
    serializer_class = serializers.CountrySerializer
    input_serializer_class = serializers.CountryInputSerializer


@document_entries(serializers.OfficialSerializer, serializers.OfficialInputSerializer, "official", "officials")
class OfficialViewSet(EntryViewSet):
    model = Official
    serializer_class = serializers.OfficialSerializer
    input_serializer_class = serializers.OfficialInputSerializer

    def base_queryset(self):
        return super().base_queryset().select_related("country")


@document_entries(serializers.AgreementSerializer, serializers.AgreementInputSerializer, "agreement", "agreements")
class AgreementViewSet(EntryViewSet):
    model = Agreement
    serializer_class = serializers.AgreementSerializer
    input_serializer_class = serializers.AgreementInputSerializer

    def base_queryset(self):
        return super().base_queryset().prefetch_related("parties")
