"""What the API reads and writes.

Output serializers describe what clients receive; input serializers what editors may send. Stories name their
tags as objects on the way out and as slugs on the way in, so the two shapes are kept apart.
"""

from django.core.validators import RegexValidator
from django.db import models, transaction
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..ingest.parsing import MAX_FILE_BYTES, content_key
from ..models import (
    VOCABULARIES,
    Agreement,
    AgreementEvent,
    Article,
    Country,
    EventKind,
    Official,
    Status,
    countries_by_name,
)
from ..text import name_key
from ..versions import record_tags
from .fields import (
    SlugReferenceField,
    SlugReferenceListField,
    StrictBooleanField,
    StrictCharField,
    StrictSlugField,
)

# --- Output ---------------------------------------------------------------------------------------


class EntryReferenceSerializer(serializers.Serializer):
    """A vocabulary entry as other resources name it."""

    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)


class HtmlUrlMixin(serializers.Serializer):
    html_url = serializers.SerializerMethodField(help_text="The page on the reader site.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class ArticleSerializer(HtmlUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail", lookup_field="slug")
    countries = EntryReferenceSerializer(many=True, read_only=True)
    officials = EntryReferenceSerializer(many=True, read_only=True)
    agreements = EntryReferenceSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "slug",
            "url",
            "html_url",
            "headline",
            "standfirst",
            "dateline",
            "published_on",
            "source",
            "status",
            "countries",
            "officials",
            "agreements",
        ]
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "updated_at"]
        read_only_fields = fields


class EntrySerializer(HtmlUrlMixin, serializers.ModelSerializer):
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_names", read_only=True)
    article_count = serializers.IntegerField(read_only=True, help_text="Published stories tagged with it.")

    class Meta:
        fields = ["slug", "url", "html_url", "name", "aliases", "article_count", "needs_review"]


class CountrySerializer(EntrySerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:country-detail", lookup_field="slug")

    class Meta(EntrySerializer.Meta):
        model = Country
        fields = [*EntrySerializer.Meta.fields, "iso_code"]
        read_only_fields = fields


class OfficialSerializer(EntrySerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:official-detail", lookup_field="slug")
    country = EntryReferenceSerializer(read_only=True, allow_null=True)

    class Meta(EntrySerializer.Meta):
        model = Official
        fields = [*EntrySerializer.Meta.fields, "role", "country"]
        read_only_fields = fields


class AgreementEventSerializer(serializers.ModelSerializer):
    """One event of an agreement's life; `sources` are the slugs of the published stories that report it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:agreement-event-detail")
    agreement = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    party = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="Country slug, or null."
    )
    sources = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Slugs of the stories that report it."
    )

    class Meta:
        model = AgreementEvent
        fields = [
            "id",
            "url",
            "agreement",
            "kind",
            "date",
            "date_precision",
            "party",
            "sources",
            "origin",
            "needs_review",
        ]
        read_only_fields = fields


class AgreementSerializer(EntrySerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:agreement-detail", lookup_field="slug")
    parties = serializers.ListField(
        child=serializers.CharField(),
        source="party_list",
        read_only=True,
        help_text="The parties' names: the party countries, then any others as written.",
    )
    party_countries = EntryReferenceSerializer(source="parties", many=True, read_only=True)
    signatories = EntryReferenceSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(
        choices=EventKind.choices,
        read_only=True,
        allow_null=True,
        help_text="The kind of its latest reviewed event; null when none is known.",
    )
    status_on = serializers.DateField(read_only=True, allow_null=True, help_text="The date of that event.")
    events = AgreementEventSerializer(many=True, read_only=True, help_text="Its life, oldest first.")

    class Meta(EntrySerializer.Meta):
        model = Agreement
        fields = [
            *EntrySerializer.Meta.fields,
            "kind",
            "signed_on",
            "parties",
            "party_countries",
            "signatories",
            "subject",
            "status",
            "status_on",
            "events",
        ]
        read_only_fields = fields


class PairSerializer(serializers.Serializer):
    """Two countries that share published stories, with their numbers."""

    slug = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField(help_text="The pair's page on the reader site.")
    countries = serializers.SerializerMethodField()
    story_count = serializers.IntegerField(read_only=True, help_text="Published stories on both countries.")
    agreement_count = serializers.IntegerField(read_only=True, help_text="Agreements both are parties to.")
    stories_url = serializers.SerializerMethodField(help_text="The API's list of the pair's stories.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, pair) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:pair-detail", args=[pair.slug]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, pair) -> str:
        return self.context["request"].build_absolute_uri(pair.get_absolute_url())

    @extend_schema_field(EntryReferenceSerializer(many=True))
    def get_countries(self, pair) -> list[dict]:
        return EntryReferenceSerializer([pair.first, pair.second], many=True).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_stories_url(self, pair) -> str:
        return self.context["request"].build_absolute_uri(f"{reverse('api:article-list')}?pair={pair.slug}")


class PairOfficialSerializer(EntryReferenceSerializer):
    role = serializers.CharField(read_only=True)
    shared = serializers.IntegerField(read_only=True, help_text="The pair's latest stories that name them.")


class PairOfficialsSerializer(serializers.Serializer):
    country = EntryReferenceSerializer(read_only=True)
    officials = PairOfficialSerializer(many=True, read_only=True)


class PairDetailSerializer(PairSerializer):
    """A pair with its agreements (and where each stands) and each side's officials in its stories."""

    agreements = AgreementSerializer(many=True, read_only=True)
    officials = PairOfficialsSerializer(
        many=True, read_only=True, help_text="Each side's officials, most often first."
    )


# --- Input ----------------------------------------------------------------------------------------


class StrictModelSerializer(serializers.ModelSerializer):
    """Model fields with the strict JSON types of fields.py."""

    serializer_field_mapping = serializers.ModelSerializer.serializer_field_mapping | {
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.BooleanField: StrictBooleanField,
    }


def slugs_of(model, help_text: str) -> SlugReferenceListField:
    entry = SlugReferenceField(slug_field="slug", queryset=model.objects.all())
    return SlugReferenceListField(child_relation=entry, required=False, help_text=help_text)


class ArticleInputSerializer(StrictModelSerializer):
    """A story as editors write it; tags by slug, each list replacing the story's tags of that kind."""

    countries = slugs_of(Country, "Country slugs; replaces the story's countries.")
    officials = slugs_of(Official, "Official slugs; replaces the story's officials.")
    agreements = slugs_of(Agreement, "Agreement slugs; replaces the story's agreements.")

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "dateline",
            "published_on",
            "source",
            "status",
            "countries",
            "officials",
            "agreements",
        ]
        extra_kwargs = {
            "slug": {"required": False, "help_text": "Made from the headline when left out."},
            "status": {"help_text": "New stories are drafts unless this says otherwise."},
            # The importer's limit for a file, so that no story is too large to import again.
            "body": {"max_length": MAX_FILE_BYTES},
        }

    TAGS = tuple(vocabulary.field for vocabulary in VOCABULARIES)

    def validate_body(self, body):
        if self.instance is None and Article.objects.filter(content_key=content_key(body)).exists():
            raise serializers.ValidationError("A story with this text exists already.")
        return body

    @transaction.atomic
    def create(self, validated_data):
        tags = {name: validated_data.pop(name) for name in self.TAGS if name in validated_data}
        validated_data.setdefault("status", Status.DRAFT)
        # What the API received is the story's raw text; its key keeps the importer from adding it twice.
        article = Article.new_story(**validated_data, reason="created through the API")
        article.save()
        self._set_tags(article, tags)
        return article

    @transaction.atomic
    def update(self, article, validated_data):
        tags = {name: validated_data.pop(name) for name in self.TAGS if name in validated_data}
        for name, value in validated_data.items():
            setattr(article, name, value)
        article._change_reason = "changed through the API"
        article.save()
        self._set_tags(article, tags)
        return article

    @staticmethod
    def _set_tags(article, tags):
        for name, entries in tags.items():
            getattr(article, name).set(entries)
        if tags:
            # The version the save wrote was taken before these tags were set.
            record_tags(article)


class EntryInputSerializer(StrictModelSerializer):
    """A vocabulary entry as editors write it; `aliases`, when given, is the complete list."""

    aliases = serializers.ListField(
        child=StrictCharField(max_length=255),
        required=False,
        max_length=200,
        help_text="Other spellings the importer should match; replaces the entry's aliases.",
    )

    class Meta:
        fields = ["name", "slug", "aliases", "needs_review"]
        extra_kwargs = {
            # ASCII only, like the slugs the site makes, so that every entry has a <slug:> URL.
            "slug": {"required": False, "allow_unicode": False, "help_text": "Made from the name when left out."}
        }

    def validate_name(self, name):
        others = self.Meta.model.objects.filter(name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(f"There is already an entry called {others[0].name!r}.")
        return name

    def validate_aliases(self, names):
        by_key = {}
        for name in names:
            key = name_key(name)
            if not key:
                raise serializers.ValidationError(f"{name!r} has no letters or digits.")
            by_key.setdefault(key, name.strip())
        taken = self._alias_model().objects.filter(key__in=by_key).select_related("entry")
        if self.instance is not None:
            taken = taken.exclude(entry=self.instance)
        clashes = [f"{alias.name!r} is already an alias of {alias.entry.name}." for alias in taken]
        if clashes:
            raise serializers.ValidationError(clashes)
        return by_key

    def _alias_model(self):
        return self.Meta.model.vocabulary().alias

    @transaction.atomic
    def create(self, validated_data):
        aliases = validated_data.pop("aliases", None)
        entry = super().create(validated_data)
        self._set_aliases(entry, aliases)
        return entry

    @transaction.atomic
    def update(self, entry, validated_data):
        aliases = validated_data.pop("aliases", None)
        entry = super().update(entry, validated_data)
        self._set_aliases(entry, aliases)
        return entry

    def _set_aliases(self, entry, by_key: dict[str, str] | None):
        if by_key is None:
            return
        existing = {alias.key: alias for alias in entry.aliases.all()}
        entry.aliases.exclude(key__in=by_key).delete()
        for key, name in by_key.items():
            if key not in existing:
                self._alias_model().objects.create(entry=entry, name=name)
            elif existing[key].name != name:
                existing[key].name = name
                existing[key].save(update_fields=["name"])


class CountryInputSerializer(EntryInputSerializer):
    class Meta(EntryInputSerializer.Meta):
        model = Country
        fields = [*EntryInputSerializer.Meta.fields, "iso_code"]
        extra_kwargs = {
            **EntryInputSerializer.Meta.extra_kwargs,
            "iso_code": {"validators": [RegexValidator("^[A-Z]{2}$", "Two capital letters, e.g. MA.")]},
        }

    def validate_iso_code(self, code):
        others = Country.objects.filter(iso_code=code)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(f"{others[0].name} has this code already.")
        return code


class OfficialInputSerializer(EntryInputSerializer):
    country = SlugReferenceField(
        slug_field="slug",
        queryset=Country.objects.all(),
        required=False,
        allow_null=True,
        help_text="Country slug.",
    )

    class Meta(EntryInputSerializer.Meta):
        model = Official
        fields = [*EntryInputSerializer.Meta.fields, "role", "country"]


class AgreementInputSerializer(EntryInputSerializer):
    parties = serializers.ListField(
        child=StrictCharField(max_length=100),
        required=False,
        max_length=20,
        help_text='The parties by name, e.g. ["India", "Morocco"]; a country\'s name or alias makes it a party '
        "country, other names (companies, associations) are kept as written. Replaces the parties.",
    )
    signatories = slugs_of(Official, "Official slugs of those who signed it; replaces the signatories.")

    class Meta(EntryInputSerializer.Meta):
        model = Agreement
        fields = [*EntryInputSerializer.Meta.fields, "kind", "signed_on", "parties", "signatories", "subject"]

    def validate_parties(self, parties):
        if any(";" in party for party in parties):
            raise serializers.ValidationError("A party's name cannot contain a semicolon.")
        _countries, others = countries_by_name(parties)
        if len("; ".join(others)) > Agreement._meta.get_field("other_parties").max_length:
            raise serializers.ValidationError("The parties that are not countries take more than 255 characters.")
        return [party.strip() for party in parties if party.strip()]

    @transaction.atomic
    def create(self, validated_data):
        parties = validated_data.pop("parties", None)
        agreement = super().create(validated_data)
        if parties is not None:
            agreement.set_parties(parties)
        return agreement

    @transaction.atomic
    def update(self, agreement, validated_data):
        parties = validated_data.pop("parties", None)
        agreement = super().update(agreement, validated_data)
        if parties is not None:
            agreement.set_parties(parties)
        return agreement


class AgreementEventInputSerializer(StrictModelSerializer):
    """An event as editors write it: its agreement and party by slug, its sources by story slug."""

    agreement = SlugReferenceField(
        slug_field="slug", queryset=Agreement.objects.all(), help_text="Agreement slug."
    )
    party = SlugReferenceField(
        slug_field="slug",
        queryset=Country.objects.all(),
        required=False,
        allow_null=True,
        help_text="Country slug of the one party it concerns (a ratification), or null.",
    )
    sources = slugs_of(Article, "Slugs of the stories that report it; replaces its sources.")

    class Meta:
        model = AgreementEvent
        fields = ["agreement", "kind", "date", "date_precision", "party", "sources", "needs_review"]
