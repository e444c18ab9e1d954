"""The editors' admin: stories with their three vocabularies, and the vocabularies themselves.

Who changed what: simple-history keeps every version of a story with who and when, and each version carries
the story's tags too (articles/versions.py): the history page shows tag changes beside the fields' changes, and
reverting to a version restores its fields and tags in one transaction. Tag changes through the inlines, the
actions and merges also go into Django's admin log (LogEntry), listed on the same page under the versions.
"""

import json
from collections import defaultdict
from itertools import pairwise

from csp.decorators import csp_update
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from . import publishing, review
from .merging import MergeError, merge_entries, plan_merge
from .models import (
    VOCABULARIES,
    Agreement,
    AgreementAlias,
    AgreementEvent,
    Article,
    Country,
    CountryAlias,
    Official,
    OfficialAlias,
    Status,
    TaggedAgreement,
    TaggedCountry,
    TaggedOfficial,
    TagOrigin,
)
from .retagging import retag
from .text import name_key
from .versions import plan_restore, record_tags, restore_tags, tag_changes, write_versions

admin.site.site_header = "Ties"
admin.site.site_title = "Ties admin"
admin.site.index_title = "Editors' desk"
admin.site.index_template = "admin/ties_index.html"

# The sha256 of simple-history's `style="border-top: 0"` on its history list (object_history_list.html).
HISTORY_LIST_STYLE = "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"


def kept_status_note(version_status: str, current_status: str) -> str:
    """What a revert to a version with another status tells the editor: the story keeps its status."""
    if version_status == current_status:
        return ""
    if current_status == Status.DRAFT:
        return "That version was published; the story stays a draft: publishing is done with the Publish action."
    return "That version was a draft; the story stays published: unpublishing is done with the Unpublish action."


def counted(count: int, singular: str, plural: str = "") -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def stories(count: int) -> str:
    return counted(count, "story", "stories")


class ListChangeList(ChangeList):
    """Adds the admin's `list_queryset` (what only the list shows) to the list, not to forms or autocompletes."""

    def get_queryset(self, request, exclude_parameters=None):
        return self.model_admin.list_queryset(super().get_queryset(request, exclude_parameters))


def log_change(user, objects, message):
    """One admin-log row per object, in one query."""
    objects = list(objects)
    if objects:
        LogEntry.objects.log_actions(user.pk, objects, CHANGE, message)


# Stories


class TextareaField(forms.CharField):
    """A textarea's text with the line endings it was stored with.

    Browsers post textareas with CRLF line endings: without this, saving a story untouched rewrote its body,
    recorded a version and logged "Changed Body".
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class TagForm(forms.ModelForm):
    def save(self, commit=True):
        if self.instance.pk and "tag" in self.changed_data:
            # Another entry chosen on the importer's row: the tag is now the editor's, its reading no longer holds.
            self.instance.origin = TagOrigin.EDITOR
            self.instance.confidence = None
            self.instance.evidence = ""
            self.instance.needs_review = False
        return super().save(commit)


class TagFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            # The table's "Delete?" heading is not the checkbox's label: screen readers need to hear which tag.
            name = form.instance.tag if form.instance.pk else "this row"
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Delete {name}"


class TagInline(admin.TabularInline):
    """One vocabulary on the story form: rows of the through model, each an autocomplete over entries,
    with where each came from (the importer's sentence and confidence, or an editor)."""

    form = TagForm
    formset = TagFormSet
    fields = ("tag", "provenance")
    readonly_fields = ("provenance",)
    autocomplete_fields = ("tag",)
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "tag":
            kwargs["label"] = capfirst(db_field.related_model._meta.verbose_name)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Each row is labelled by its entry (EvidencedTag.__str__): fetched with the rows, not one by one.
        return super().get_queryset(request).select_related("tag")

    @admin.display(description="from")
    def provenance(self, tagged):
        if tagged.pk is None or tagged.origin == TagOrigin.EDITOR:
            return format_html('<span class="tag-origin tag-origin--editor">Editor</span>{}', _evidence(tagged))
        confidence = "" if tagged.confidence is None else f" {tagged.confidence:.0%}"
        mark = " · to review" if tagged.needs_review else ""
        return format_html(
            '<span class="tag-origin tag-origin--importer">Importer{}{}</span>{}',
            confidence,
            mark,
            _evidence(tagged),
        )


def _evidence(tagged) -> str:
    if not tagged.evidence:
        return ""
    return format_html('<q class="tag-evidence">{}</q>', tagged.evidence)


class CountryTagInline(TagInline):
    model = TaggedCountry
    verbose_name = "country"  # "Add another Country", not the through model's "Story country"
    verbose_name_plural = "countries"


class OfficialTagInline(TagInline):
    model = TaggedOfficial
    verbose_name = "official"
    verbose_name_plural = "officials"


class AgreementTagInline(TagInline):
    model = TaggedAgreement
    verbose_name = "agreement"
    verbose_name_plural = "agreements"


class EntryInUseFilter(admin.SimpleListFilter):
    """Stories tagged with one entry; offers only entries that tag at least one story."""

    through = None

    def lookups(self, request, model_admin):
        entries = self.through._meta.get_field("tag").related_model.objects.filter(
            Exists(self.through.objects.filter(tag=OuterRef("pk")))
        )
        return entries.order_by("name").values_list("pk", "name")

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(Exists(self.through.objects.filter(content_object=OuterRef("pk"), tag_id=value)))


class CountryFilter(EntryInUseFilter):
    title = "country"
    parameter_name = "country"
    through = TaggedCountry


class OfficialFilter(EntryInUseFilter):
    title = "official"
    parameter_name = "official"
    through = TaggedOfficial


class AgreementFilter(EntryInUseFilter):
    title = "agreement"
    parameter_name = "agreement"
    through = TaggedAgreement


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "needs_review"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Has entries or aliases needing review"),
            ("tags", "Has tags to review"),
            ("headline", "Headline made by the importer"),
            ("undated", "No date"),
            ("no", "All entries reviewed"),
        ]

    def queryset(self, request, queryset):
        unreviewed, unsure = Q(), Q()
        for vocabulary in VOCABULARIES:
            through = vocabulary.through
            tags = through.objects.filter(content_object=OuterRef("pk"))
            unreviewed |= Q(Exists(tags.filter(tag__needs_review=True)))
            unreviewed |= Q(Exists(tags.filter(tag__aliases__needs_review=True)))
            unsure |= Q(Exists(review.tags_to_review(through).filter(content_object=OuterRef("pk"))))
        match self.value():
            case "yes":
                return queryset.filter(unreviewed)
            case "tags":
                return queryset.filter(unsure)
            case "headline":
                return queryset.filter(headline_derived=True)
            case "undated":
                return queryset.filter(published_on=None)
            case "no":
                return queryset.exclude(unreviewed)
        return queryset


class EntriesForm(forms.Form):
    """The entries an action adds to or removes from stories, each vocabulary with its autocomplete."""

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        for vocabulary in VOCABULARIES:
            name, tag = vocabulary.field, vocabulary.through._meta.get_field("tag")
            self.fields[name] = forms.ModelMultipleChoiceField(
                tag.related_model.objects.all(),
                required=False,
                widget=AutocompleteSelectMultiple(tag, admin_site),
                label=capfirst(name),
            )

    def clean(self):
        if not any(self.cleaned_data.get(vocabulary.field) for vocabulary in VOCABULARIES):
            raise ValidationError("Choose at least one country, official or agreement.")
        return self.cleaned_data


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ("headline", "published_on", "status", "source", "country_names")
    formfield_overrides = {models.TextField: {"form_class": TextareaField}}
    list_filter = ("status", "source", CountryFilter, OfficialFilter, AgreementFilter, NeedsReviewFilter)
    search_fields = ("headline", "body", "dateline")
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ("headline",)}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "headline",
                    "headline_derived",
                    "slug",
                    "status",
                    "published_on",
                    "dateline",
                    "source",
                    "standfirst",
                    "body",
                )
            },
        ),
        (
            "Import details",
            {
                "classes": ("collapse",),
                "fields": ("source_file", "content_key", "created_at", "updated_at", "raw_text"),
            },
        ),
    )
    readonly_fields = ("raw_text", "source_file", "content_key", "created_at", "updated_at")
    inlines = (CountryTagInline, OfficialTagInline, AgreementTagInline)
    actions = ("publish", "unpublish", "add_entries", "remove_entries", "retag_selected")
    object_history_template = "admin/articles/article/object_history.html"
    object_history_form_template = "admin/articles/article/object_history_form.html"
    # The unfiltered total costs a second COUNT on every page; the filtered count is enough.
    show_full_result_count = False

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_changelist(self, request, **kwargs):
        return ListChangeList

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "headline" and field is not None:
            field.widget.attrs["class"] = "vTextField headline-input"
        return field

    def list_queryset(self, queryset):
        return queryset.prefetch_related("countries")

    @admin.display(description="countries")
    def country_names(self, article):
        return ", ".join(country.name for country in article.countries.all())

    def view_on_site(self, article):
        if article.is_published:
            return article.get_absolute_url()
        return reverse("admin:articles_article_preview", args=[article.pk], current_app=self.admin_site.name)

    # Publishing

    def has_publish_permission(self, request, obj=None):
        return publishing.may_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # A revert keeps the story's status (see save_model), so its page does not offer to change it.
        if not self.has_publish_permission(request) or getattr(request, "reverting", False):
            return (*readonly, "status")
        return readonly

    def save_model(self, request, obj, form, change):
        if not change and not self.has_publish_permission(request):
            # Without the right to publish, a new story can only be a draft.
            obj.status = Status.DRAFT
        before = publishing.current_status(obj) if change else Status.DRAFT
        version = to_historic(obj)
        if version is not None:
            # A revert restores a version's content, never its status: publishing stays a step of its own,
            # taken by whoever may take it.
            note = kept_status_note(version.status, before)
            obj.status = before
        publishing.check_status_change(request.user, before, obj.status)
        if version is None:
            if change and not form.has_changed():
                # Nothing to write: no new version, and updated_at stays when the story was last changed.
                obj._unsaved = True
                return
            if change and "headline" in form.changed_data and "headline_derived" not in form.changed_data:
                obj.headline_derived = False  # an editor wrote this one
            super().save_model(request, obj, form, change)
            return
        # A revert from the history page: the version's tags come back with its fields, or nothing changes.
        obj._change_reason = (
            f"reverted to the version of {timezone.localtime(version.history_date):%Y-%m-%d %H:%M}"
        )
        if note:
            self.message_user(request, note, messages.WARNING)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if version.tags is None:
                self.message_user(
                    request, "This version was saved before versions kept tags: the tags were left as they are."
                )
                return
            restored = restore_tags(obj, version.tags)
        for note in restored.merged_notes:
            self.message_user(request, note, messages.INFO)
        for note in restored.missing_notes:
            self.message_user(request, note, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            if getattr(form.instance, "_unsaved", False):
                # Only the tags changed: their own version, since save_model wrote none.
                write_versions([form.instance], user=request.user, reason="tags changed")
            else:
                # The inlines saved the tags after save_model wrote the version: it gets them now.
                record_tags(form.instance)

    @admin.action(description="Publish the selected stories", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED)

    @admin.action(description="Unpublish the selected stories (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT)

    def _set_status(self, request, queryset, status):
        articles = publishing.set_status(queryset.exclude(status=status), status, user=request.user)
        if articles:
            log_change(request.user, articles, [{"changed": {"fields": ["Status"]}}])
        verb = "published" if status == Status.PUBLISHED else "unpublished"
        self.message_user(request, f"{capfirst(verb)} {stories(len(articles))}.", messages.SUCCESS)

    # Tags

    @admin.action(
        description="Add countries, officials or agreements to the selected stories", permissions=["change"]
    )
    def add_entries(self, request, queryset):
        return self._entries_action(request, queryset, adding=True)

    @admin.action(
        description="Remove countries, officials or agreements from the selected stories", permissions=["change"]
    )
    def remove_entries(self, request, queryset):
        return self._entries_action(request, queryset, adding=False)

    def _entries_action(self, request, queryset, *, adding: bool):
        form = EntriesForm(request.POST if "apply" in request.POST else None, admin_site=self.admin_site)
        if form.is_bound and form.is_valid():
            self._change_entries(request, queryset, form.cleaned_data, adding=adding)
            return None
        action = "add_entries" if adding else "remove_entries"
        context = {
            **self.admin_site.each_context(request),
            "title": "Add to the selected stories" if adding else "Remove from the selected stories",
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
            "articles": queryset,
            "action": action,
            "adding": adding,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/entries_action.html", context)

    @transaction.atomic
    def _change_entries(self, request, queryset, chosen, *, adding: bool):
        article_ids = list(queryset.values_list("pk", flat=True))
        changes = defaultdict(list)  # story id -> admin-log messages
        for vocabulary in VOCABULARIES:
            name, through = vocabulary.field, vocabulary.through
            entries = {entry.pk: entry for entry in chosen[name]}
            if not entries:
                continue
            tagged = through.objects.filter(content_object_id__in=article_ids, tag_id__in=entries)
            have = set(tagged.values_list("content_object_id", "tag_id"))
            if adding:
                pairs = [(a, pk) for a in article_ids for pk in entries if (a, pk) not in have]
                through.objects.bulk_create([through(content_object_id=a, tag_id=pk) for a, pk in pairs])
            else:
                pairs = sorted(have)
                tagged.delete()
            verb = "added" if adding else "deleted"
            for article_id, pk in pairs:
                changes[article_id].append(
                    {verb: {"name": str(through._meta.verbose_name), "object": entries[pk].name}}
                )
        by_message = defaultdict(list)
        for article_id, change in changes.items():
            by_message[json.dumps(change)].append(article_id)
        for message, ids in by_message.items():
            log_change(request.user, Article.objects.filter(pk__in=ids), message)
        write_versions(
            Article.objects.filter(pk__in=list(changes)).iterator(),
            user=request.user,
            reason="tags added" if adding else "tags removed",
        )
        count = sum(len(change) for change in changes.values())
        done = "Added" if adding else "Removed"
        self.message_user(request, f"{done} {counted(count, 'tag')} on {stories(len(changes))}.", messages.SUCCESS)

    @admin.action(description="Re-run automatic tagging on the selected stories", permissions=["change"])
    def retag_selected(self, request, queryset):
        result = retag(queryset, user=request.user)
        for article, added in result.added.items():
            log_change(request.user, [article], f"Automatic tagging added {', '.join(added)}.")
        self.message_user(
            request,
            f"Automatic tagging added {counted(result.tags_added, 'tag')} to {stories(len(result.added))} "
            f"of the {stories(queryset.count())} selected.",
            messages.SUCCESS,
        )
        if result.new_entries:
            self.message_user(request, f"New, to review: {'; '.join(result.new_entries)}.", messages.WARNING)

    # History and preview

    # simple-history's list carries one inline style attribute; the Content-Security-Policy allows that one exact
    # attribute here (by its hash), and still no other inline style or script.
    @method_decorator(csp_update({"style-src-attr": ["'unsafe-hashes'", HISTORY_LIST_STYLE]}))
    def history_view(self, request, object_id, extra_context=None):
        admin_log = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), object_id=unquote(object_id)
        ).select_related("user")
        return super().history_view(request, object_id, {"admin_log": admin_log, **(extra_context or {})})

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        # Each version's tag changes against the one before, listed with its field changes.
        records = list(historical_records)
        for newer, older in pairwise(records):
            changes = tag_changes(newer.tags, older.tags)
            if changes:
                newer.history_delta_changes = [*getattr(newer, "history_delta_changes", []), *changes]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history lets anyone who may view the history post a revert; reverting is a change.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        # The page shows what reverting does to the tags; simple-history answers 404 for a wrong version.
        version = self.model.history.filter(history_id=version_id).first() if version_id.isdigit() else None
        tags = version.tags if version is not None else None
        current = self.model.objects.filter(pk=version.id).first() if version is not None else None
        context = {
            "tag_restore": plan_restore(tags) if tags is not None else None,
            "status_note": kept_status_note(version.status, current.status) if current is not None else "",
            **(extra_context or {}),
        }
        request.reverting = True
        return super().history_form_view(request, object_id, version_id, context)

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="articles_article_preview",
        )
        queue = path("review/", self.admin_site.admin_view(self.review_view), name="articles_review")
        return [preview, queue, *super().get_urls()]

    # The review queue

    def review_view(self, request):
        """What waits for an editor, each row with its one-click action (a POST back here)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            self._review_action(request)
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": "Review queue",
            "opts": self.opts,
            "queue": review.queue(),
            "counts": None,
            "low_confidence": review.LOW_CONFIDENCE,
            "can_change": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/articles/review_queue.html", context)

    def _review_action(self, request):
        action, kind, pk = (request.POST.get(name, "") for name in ("action", "kind", "pk"))
        handlers = {"story": {"accept_headline": (Article, "change", self._accept_headline)}}
        for vocabulary in VOCABULARIES:
            through, entry_model, alias_model = vocabulary.through, vocabulary.entry, vocabulary.alias
            handlers[vocabulary.parameter] = {
                "accept_tag": (through, "change", self._accept_tag),
                "remove_tag": (through, "delete", self._remove_tag),
                "accept_entry": (entry_model, "change", self._accept_entry),
                "accept_alias": (alias_model, "change", self._accept_alias),
                "remove_alias": (alias_model, "delete", self._remove_alias),
            }
        if action not in handlers.get(kind, {}) or not pk.isdigit():
            self.message_user(request, "That review action was not understood; nothing changed.", messages.ERROR)
            return
        model, permission, handle = handlers[kind][action]
        if not request.user.has_perm(f"{model._meta.app_label}.{permission}_{model._meta.model_name}"):
            raise PermissionDenied
        target = model.objects.filter(pk=pk).first()
        if target is None:
            self.message_user(request, "That item is gone already (someone reviewed it); nothing changed.")
            return
        with transaction.atomic():
            note = handle(request, target)
        self.message_user(request, note, messages.SUCCESS)

    def _accept_tag(self, request, tagged):
        # The importer's reading (sentence, confidence) stays on the row; an editor now stands behind the tag.
        type(tagged).objects.filter(pk=tagged.pk).update(origin=TagOrigin.EDITOR, needs_review=False)
        log_change(request.user, [tagged.content_object], f"Accepted the importer's tag {tagged.tag}.")
        return f"Kept “{tagged.tag}” on “{tagged.content_object}”."

    def _remove_tag(self, request, tagged):
        story = tagged.content_object
        tagged.delete()
        log_change(
            request.user,
            [story],
            [{"deleted": {"name": str(type(tagged)._meta.verbose_name), "object": str(tagged.tag)}}],
        )
        write_versions([story], user=request.user, reason="tag removed in review")
        return f"Removed “{tagged.tag}” from “{story}”."

    def _accept_entry(self, request, entry):
        type(entry).objects.filter(pk=entry.pk).update(needs_review=False, updated_at=timezone.now())
        log_change(request.user, [entry], [{"changed": {"fields": ["Needs review"]}}])
        return f"Marked “{entry}” reviewed."

    def _accept_alias(self, request, alias):
        type(alias).objects.filter(pk=alias.pk).update(needs_review=False)
        log_change(request.user, [alias.entry], f"Accepted the alias “{alias}”.")
        return f"Kept “{alias}” as an alias of “{alias.entry}”."

    def _remove_alias(self, request, alias):
        alias.delete()
        log_change(request.user, [alias.entry], f"Removed the alias “{alias}”.")
        return f"Removed the alias “{alias}” of “{alias.entry}”: the importer no longer maps it."

    def _accept_headline(self, request, story):
        Article.objects.filter(pk=story.pk).update(headline_derived=False)
        log_change(request.user, [story], [{"changed": {"fields": ["Headline made by the importer"]}}])
        return f"Kept the headline “{story}”."

    def preview_view(self, request, object_id):
        """The story as readers would see it, drafts included; staff with view rights only."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return TemplateResponse(request, "admin/articles/article/preview.html", {"article": article})


# Vocabularies


class AliasFormSet(forms.BaseInlineFormSet):
    """An alias belongs to one entry only, and is not another entry's name."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        entry = self.instance
        kept = {}  # folded name -> form, for every alias the entry keeps
        for form in self.forms:
            if not form.cleaned_data.get("name") or form.cleaned_data.get("DELETE"):
                continue
            key = name_key(form.cleaned_data["name"])
            if key in kept:
                form.add_error("name", "This alias is listed twice.")
                continue
            kept[key] = form
        changed = {key: form for key, form in kept.items() if form.has_changed()}
        if not changed:
            return
        own_rows = [form.instance.pk for form in self.initial_forms]
        others = self.model.objects.filter(key__in=changed).exclude(pk__in=own_rows).select_related("entry")
        for alias in others:
            changed.pop(alias.key).add_error(
                "name",
                f"“{alias.name}” is already an alias of “{alias.entry}”. An alias belongs to one entry only: "
                "remove it there first, or merge the two entries.",
            )
        entry_model = type(entry)
        for name in entry_model.objects.exclude(pk=entry.pk).values_list("name", flat=True).iterator():
            form = changed.pop(name_key(name), None)
            if form is not None:
                form.add_error(
                    "name",
                    f"“{name}” is the name of another {entry_model._meta.verbose_name}. "
                    "Merge the two entries instead of adding an alias.",
                )


class AliasInline(admin.TabularInline):
    formset = AliasFormSet
    fields = ("name", "needs_review", "former_slug")
    readonly_fields = ("former_slug",)
    extra = 0


class CountryAliasInline(AliasInline):
    model = CountryAlias


class OfficialAliasInline(AliasInline):
    model = OfficialAlias


class AgreementAliasInline(AliasInline):
    model = AgreementAlias


class EntryForm(forms.ModelForm):
    def clean_name(self):
        name = self.cleaned_data["name"]
        alias_model = self._meta.model.aliases.rel.related_model
        alias = (
            alias_model.objects.filter(key=name_key(name))
            .exclude(entry_id=self.instance.pk)
            .select_related("entry")
            .first()
        )
        if alias is not None:
            raise ValidationError(
                f"“{alias.name}” is an alias of “{alias.entry}”: use that entry, or merge the two entries."
            )
        return name


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(queryset=None, label="Keep")

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        model = type(entries[0])
        self.fields["survivor"].queryset = model.objects.filter(pk__in=[entry.pk for entry in entries])


def suggested_survivor(entries):
    """The entry to keep by default: the most published stories; among equals, a reviewed one, then by name."""
    return min(entries, key=lambda entry: (-entry.story_count, entry.needs_review, entry.name))


class EntryReviewFilter(admin.SimpleListFilter):
    """Entries the importer created, or whose aliases it learned, for an editor to check."""

    title = "needs review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("entry", "Entry needs review"), ("aliases", "Has aliases needing review"), ("no", "Reviewed")]

    def queryset(self, request, queryset):
        aliases = review.alias_model(queryset.model).objects.filter(entry=OuterRef("pk"), needs_review=True)
        match self.value():
            case "entry":
                return queryset.filter(needs_review=True)
            case "aliases":
                return queryset.filter(Exists(aliases))
            case "no":
                return queryset.filter(needs_review=False).exclude(Exists(aliases))
        return queryset


class EntryAdmin(admin.ModelAdmin):
    """Shared by the three vocabularies: published-story counts, aliases, merge and review."""

    form = EntryForm
    list_filter = (EntryReviewFilter,)
    search_fields = ("name", "aliases__name")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("story_count", "created_at", "updated_at")
    actions = ("merge", "mark_reviewed")
    show_full_result_count = False

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_changelist(self, request, **kwargs):
        return ListChangeList

    def list_queryset(self, queryset):
        return queryset.prefetch_related("aliases")

    @admin.display(description="aliases")
    def alias_list(self, entry):
        return ", ".join(entry.alias_names())

    def has_merge_permission(self, request, obj=None):
        return request.user.has_perm(f"{self.opts.app_label}.merge_{self.opts.model_name}")

    @admin.action(description="Mark the selected entries and their aliases reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        aliases = review.alias_model(self.model).objects.filter(entry__in=queryset, needs_review=True)
        entries = list(queryset.filter(Q(needs_review=True) | Q(Exists(aliases.filter(entry=OuterRef("pk"))))))
        aliases.update(needs_review=False)
        self.model.objects.filter(pk__in=[entry.pk for entry in entries]).update(
            needs_review=False, updated_at=timezone.now()
        )
        log_change(request.user, entries, [{"changed": {"fields": ["Needs review"]}}])
        self.message_user(
            request,
            f"Marked {counted(len(entries), self.opts.verbose_name, self.opts.verbose_name_plural)} reviewed.",
            messages.SUCCESS,
        )

    @admin.action(description="Merge the selected entries into one…", permissions=["merge"])
    def merge(self, request, queryset):
        entries = list(queryset)
        if len(entries) < 2:
            self.message_user(
                request,
                f"“{entries[0]}” cannot be merged into itself: "
                "select it together with the entries to merge into it.",
                messages.ERROR,
            )
            return None
        form = MergeForm(request.POST if "confirm" in request.POST else None, entries=entries)
        if form.is_bound and form.is_valid():
            survivor = form.cleaned_data["survivor"]
            merged = [entry for entry in entries if entry.pk != survivor.pk]
            try:
                plan = merge_entries(survivor, merged, user=request.user)
            except MergeError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                names = ", ".join(f"“{item.entry}”" for item in plan.merged)
                self.message_user(
                    request,
                    f"Merged {names} into “{survivor}”: {stories(plan.stories_moving)} moved; "
                    f"the old names are now aliases and their pages redirect.",
                    messages.SUCCESS,
                )
                return None
        options = []
        for survivor in entries:
            try:
                plan, error = plan_merge(survivor, [entry for entry in entries if entry != survivor]), ""
            except MergeError as exc:
                plan, error = None, str(exc)
            options.append({"entry": survivor, "plan": plan, "error": error})
        chosen = form["survivor"].value() if form.is_bound else None
        if chosen is None:
            chosen = suggested_survivor([o["entry"] for o in options if not o["error"]] or entries).pk
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {len(entries)} {self.opts.verbose_name_plural}",
            "opts": self.opts,
            "options": options,
            "chosen": str(chosen),
            "entries": entries,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/merge_confirmation.html", context)


@admin.register(Country)
class CountryAdmin(EntryAdmin):
    list_display = ("name", "iso_code", "alias_list", "story_count", "needs_review")
    search_fields = ("name", "iso_code", "aliases__name")
    fields = ("name", "slug", "iso_code", "needs_review", "created_at", "updated_at")
    inlines = (CountryAliasInline,)


@admin.register(Official)
class OfficialAdmin(EntryAdmin):
    list_display = ("name", "role", "country", "alias_list", "story_count", "needs_review")
    list_filter = (EntryReviewFilter, ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("country",)
    search_fields = ("name", "aliases__name", "role")
    autocomplete_fields = ("country",)
    fields = ("name", "slug", "role", "country", "needs_review", "created_at", "updated_at")
    inlines = (OfficialAliasInline,)


class AgreementEventFormSet(forms.BaseInlineFormSet):
    # Set per request by AgreementEventInline.get_formset: every row offers the same parties.
    party_choices: list = []

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # One list for every row, read once: a select per row would query the countries once per event.
        form.fields["party"].choices = self.party_choices


class AgreementEventInline(admin.TabularInline):
    """An agreement's life, oldest first; each event keeps its own history (AgreementEventAdmin), where its
    sources are edited too (here they are listed, so that the form costs the same for any number of events)."""

    model = AgreementEvent
    formset = AgreementEventFormSet
    fields = ("kind", "date", "date_precision", "party", "needs_review", "reported_in", "origin", "evidence")
    readonly_fields = ("reported_in", "origin", "evidence")
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("agreement", "party")
            .prefetch_related(Prefetch("sources", queryset=Article.objects.only("headline", "slug")))
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A ratification is by one of the parties; an agreement without parties yet may name any country.
        parties = list(obj.parties.all()) if obj is not None and obj.pk else []
        countries = parties or Country.objects.only("name")
        formset.party_choices = [("", "---------"), *((country.pk, country.name) for country in countries)]
        return formset

    @admin.display(description="reported in")
    def reported_in(self, event):
        stories = event.sources.all() if event.pk else []
        return (
            format_html_join(
                "; ", '<a href="{}">{}</a>', ((story.get_absolute_url(), story.headline) for story in stories)
            )
            or "—"
        )


@admin.register(Agreement)
class AgreementAdmin(EntryAdmin):
    list_display = ("name", "kind", "signed_on", "party_names", "alias_list", "story_count", "needs_review")
    list_filter = (EntryReviewFilter, "kind")
    search_fields = ("name", "aliases__name", "parties__name", "other_parties")
    autocomplete_fields = ("parties", "signatories")
    fields = (
        "name",
        "slug",
        "kind",
        "signed_on",
        "parties",
        "other_parties",
        "signatories",
        "subject",
        "needs_review",
        "created_at",
        "updated_at",
    )
    inlines = (AgreementAliasInline, AgreementEventInline)

    def list_queryset(self, queryset):
        return super().list_queryset(queryset).prefetch_related("parties")

    @admin.display(description="parties")
    def party_names(self, agreement):
        return "; ".join(agreement.party_list)


@admin.register(AgreementEvent)
class AgreementEventAdmin(SimpleHistoryAdmin):
    """Events one by one, with their history; editors mostly edit them inline on their agreement.

    Editors hold the events' permissions with the agreements' (migration 0014).
    """

    list_display = ("agreement", "kind", "date", "date_precision", "party", "origin", "needs_review")
    list_filter = ("kind", "origin", "needs_review")
    list_select_related = ("agreement", "party")
    search_fields = ("agreement__name", "evidence")
    autocomplete_fields = ("agreement", "party", "sources")
    readonly_fields = ("origin", "evidence", "created_at", "updated_at")
    show_full_result_count = False
