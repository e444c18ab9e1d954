"""Who may publish and unpublish: the one check that every way of changing a story's status goes through.

The admin's form and its publish/unpublish actions, a revert from the history page and the API all call
`check_status_change` (or `set_status`, which calls it) with the user and the status before and after; a new way
of changing the status calls it too. Only the importer, run by whoever runs the site, sets a status without a user.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Article, Status
from .versions import write_versions

PUBLISH_PERMISSION = "articles.publish_article"


class PublishDenied(PermissionDenied):
    """The user tried to publish or unpublish a story without articles.publish_article."""


def may_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def check_status_change(user, old_status: str, new_status: str) -> None:
    """Raise PublishDenied when `user` would move a story from `old_status` to `new_status` without the right."""
    if new_status != old_status and not may_publish(user):
        action = "publish" if new_status == Status.PUBLISHED else "unpublish"
        raise PublishDenied(f"You may not {action} stories: that needs the {PUBLISH_PERMISSION} permission.")


def current_status(article: Article) -> str:
    """The status the database holds for a saved story (the instance may carry another one, about to be saved)."""
    return Article.objects.filter(pk=article.pk).values_list("status", flat=True).get()


def set_status(articles, status: str, *, user) -> list[Article]:
    """Give the stories `status`, each with a new version by `user`; the stories that changed."""
    changing = [article for article in articles if article.status != status]
    for article in changing:
        check_status_change(user, article.status, status)
    if not changing:
        return []
    now = timezone.now()
    for article in changing:
        article.status = status
        article.updated_at = now
    with transaction.atomic():
        Article.objects.bulk_update(changing, ["status", "updated_at"])
        write_versions(changing, user=user, reason="published" if status == Status.PUBLISHED else "unpublished")
    return changing
