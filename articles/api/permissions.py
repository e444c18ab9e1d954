"""Who may do what through the API: anyone reads what is public; editors write with their model permissions."""

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions

from .. import publishing

SEE_DRAFTS = "articles.view_article"


class ReadOrModelPermissions(DjangoModelPermissions):
    """Reading is open (the view's queryset decides what is visible); writing needs add/change permission."""

    def has_permission(self, request, view):
        # Methods the view does not offer (DELETE) are let through to answer 405, not a misleading 403.
        if request.method in SAFE_METHODS or request.method.lower() not in view.http_method_names:
            return True
        return super().has_permission(request, view)


def may_see_drafts(user) -> bool:
    return user.has_perm(SEE_DRAFTS)


def check_status_change(user, old_status: str, new_status: str) -> None:
    """publishing.check_status_change, answered as the API's 403 with the reason."""
    try:
        publishing.check_status_change(user, old_status, new_status)
    except publishing.PublishDenied as denied:
        raise PermissionDenied(str(denied)) from None
