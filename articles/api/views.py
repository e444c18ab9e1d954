"""The API's viewsets: stories and the three vocabularies, read by anyone, written by editors."""

from django.db.models import F, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from .. import pairs
from ..caching import cache_page
from ..filters import AgreementFilter
from ..models import Agreement, AgreementEvent, Article, Country, Official, Status
from . import rows, serializers
from .fields import SLUG
from .filters import ApiArticleFilter
from .parsers import TextJSONParser
from .permissions import ReadOrModelPermissions, check_status_change, may_see_drafts
from .schema import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, detail_responses, list_responses, write_responses


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


def agreement_events(editor: bool) -> Prefetch:
    """An agreement's events, oldest first, with sources; for readers only public events and published sources."""
    events = AgreementEvent.objects.all() if editor else AgreementEvent.objects.public()
    sources = Article.objects.all() if editor else Article.objects.published()
    return Prefetch(
        "events",
        queryset=events.select_related("agreement", "party")
        .prefetch_related(Prefetch("sources", queryset=sources.only("slug").order_by("slug")))
        .order_by("date", "pk"),
    )


@document_entries(serializers.AgreementSerializer, serializers.AgreementInputSerializer, "agreement", "agreements")
@extend_schema_view(
    list=extend_schema(
        summary="Agreements, by name",
        description="Every agreement, with its parties, signatories, status (its latest reviewed event) and "
        "events. Filters as on the reader site's ledger.",
        responses=list_responses(serializers.AgreementSerializer),
    )
)
class AgreementViewSet(EntryViewSet):
    model = Agreement
    serializer_class = serializers.AgreementSerializer
    input_serializer_class = serializers.AgreementInputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AgreementFilter

    def base_queryset(self):
        editor = self.request.user.has_perm("articles.view_agreement")
        return (
            super()
            .base_queryset()
            .with_status()
            .prefetch_related("parties", "signatories", agreement_events(editor))
        )

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset


class ChangeAgreementPermission(ReadOrModelPermissions):
    """Events are written with the permission to change agreements: an event is part of its agreement."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.has_perm("articles.change_agreement"))


@extend_schema_view(
    list=extend_schema(
        summary="Events of agreements, newest first",
        description="Events readers may see: an editor's, or the importer's once reviewed or read from a "
        "published story. Filter by `agreement` slug.",
        parameters=[OpenApiParameter("agreement", str, description="Agreement slug.")],
        responses=list_responses(serializers.AgreementEventSerializer),
    ),
    retrieve=extend_schema(summary="One event", responses=detail_responses(serializers.AgreementEventSerializer)),
    create=extend_schema(
        summary="Add an event to an agreement",
        description="Needs `articles.change_agreement`.",
        request=serializers.AgreementEventInputSerializer,
        responses=write_responses(serializers.AgreementEventSerializer, status.HTTP_201_CREATED),
    ),
    update=extend_schema(
        summary="Replace an event's fields",
        description="Needs `articles.change_agreement`.",
        request=serializers.AgreementEventInputSerializer,
        responses=write_responses(serializers.AgreementEventSerializer),
    ),
    partial_update=extend_schema(
        summary="Change some of an event's fields",
        description="Needs `articles.change_agreement`.",
        request=serializers.AgreementEventInputSerializer,
        responses=write_responses(serializers.AgreementEventSerializer),
    ),
    destroy=extend_schema(
        summary="Remove an event",
        description="Needs `articles.change_agreement`.",
        responses={204: None, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class AgreementEventViewSet(mixins.DestroyModelMixin, ResourceViewSet):
    """Agreements' events; editors add, correct and remove them (each change kept in its history)."""

    lookup_field = "pk"
    permission_classes = [IsAuthenticatedOrReadOnly, ChangeAgreementPermission]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    serializer_class = serializers.AgreementEventSerializer
    input_serializer_class = serializers.AgreementEventInputSerializer

    def editor(self) -> bool:
        return self.request.user.has_perm("articles.view_agreement")

    def base_queryset(self):
        sources = Article.objects.all() if self.editor() else Article.objects.published()
        return AgreementEvent.objects.select_related("agreement", "party").prefetch_related(
            Prefetch("sources", queryset=sources.only("slug").order_by("slug"))
        )

    def get_queryset(self):
        events = self.base_queryset()
        if not self.editor():
            events = events.public().filter(agreement__in=Agreement.objects.public())
        slug = self.request.query_params.get("agreement", "").strip()
        if self.action == "list" and slug:
            events = events.filter(agreement__slug=slug)
        return events.order_by("-date", "-pk")

    def get_object(self):
        if not self.kwargs["pk"].isdecimal():
            raise NotFound
        return viewsets.GenericViewSet.get_object(self)

    def perform_destroy(self, instance):
        instance._change_reason = "removed through the API"
        instance.delete()


@extend_schema_view(
    list=extend_schema(
        summary="Ties: pairs of countries, most covered first",
        description="Every two countries that share a published story, with their story and agreement counts.",
        parameters=[OpenApiParameter("country", str, description="Only the pairs of this country (its slug).")],
        responses=list_responses(serializers.PairSerializer),
    ),
    retrieve=extend_schema(
        summary="One pair of countries",
        description="Its agreements with their status, each side's officials, its story count and the URL of its "
        "story list. A reversed address or a merged country's old slug redirects.",
        responses=detail_responses(serializers.PairDetailSerializer, may_move=True),
    ),
)
@method_decorator(cache_page, name="list")
@method_decorator(cache_page, name="retrieve")
class PairViewSet(viewsets.GenericViewSet):
    """Pairs of countries, computed from the published stories (articles/pairs.py), never written."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "head", "options"]
    serializer_class = serializers.PairSerializer
    filter_backends = []

    def get_serializer_class(self):
        return serializers.PairDetailSerializer if self.action == "retrieve" else serializers.PairSerializer

    def list(self, request):
        country = None
        slug = request.query_params.get("country", "").strip()
        if slug:
            country = Country.objects.public().filter(slug=slug).first()
            if country is None:
                raise ValidationError({"country": [f"No country {slug!r}."]})
        page = self.paginate_queryset(pairs.pairs(country))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        found = pairs.find(slug) if SLUG.fullmatch(slug) else None
        if found is None or not pairs.story_count(found[0], found[1]):
            raise NotFound
        first, second, moved = found
        if moved:
            url = reverse("api:pair-detail", args=[pairs.pair_slug(first, second)])
            return Response(status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": url})
        agreements = list(
            pairs.pair_agreements(first, second)
            .annotate(article_count=F("story_count"))
            .prefetch_related("aliases", "parties", agreement_events(editor=False))
        )
        officials = pairs.officials(first, second)
        pair = pairs.PairDetail(
            first,
            second,
            pairs.story_count(first, second),
            len(agreements),
            agreements=tuple(agreements),
            officials=tuple({"country": side, "officials": officials[side.pk]} for side in (first, second)),
        )
        return Response(self.get_serializer(pair).data)
