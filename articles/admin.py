from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agreement,
    AgreementAlias,
    Article,
    Country,
    CountryAlias,
    Official,
    OfficialAlias,
    TaggedAgreement,
    TaggedCountry,
    TaggedOfficial,
)


class CountryTagInline(admin.TabularInline):
    model = TaggedCountry
    autocomplete_fields = ("tag",)
    extra = 0
    verbose_name_plural = "countries"


class OfficialTagInline(CountryTagInline):
    model = TaggedOfficial
    verbose_name_plural = "officials"


class AgreementTagInline(CountryTagInline):
    model = TaggedAgreement
    verbose_name_plural = "agreements"


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ("headline", "published_on", "status", "source")
    list_filter = ("status", "source")
    search_fields = ("headline", "body", "dateline")
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ("headline",)}
    readonly_fields = ("raw_text", "source_file", "content_key", "created_at", "updated_at")
    exclude = ("countries", "officials", "agreements")
    inlines = (CountryTagInline, OfficialTagInline, AgreementTagInline)


class CountryAliasInline(admin.TabularInline):
    model = CountryAlias
    extra = 0


class OfficialAliasInline(admin.TabularInline):
    model = OfficialAlias
    extra = 0


class AgreementAliasInline(admin.TabularInline):
    model = AgreementAlias
    extra = 0


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("name", "iso_code", "needs_review")
    search_fields = ("name", "iso_code", "aliases__name")
    inlines = (CountryAliasInline,)


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "country", "needs_review")
    list_filter = ("needs_review",)
    list_select_related = ("country",)
    search_fields = ("name", "aliases__name", "role")
    autocomplete_fields = ("country",)
    inlines = (OfficialAliasInline,)


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "signed_on", "parties", "needs_review")
    list_filter = ("needs_review", "kind")
    search_fields = ("name", "aliases__name", "parties")
    inlines = (AgreementAliasInline,)
