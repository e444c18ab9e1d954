"""Template tags for the editors' admin."""

from django import template

from .. import review

register = template.Library()


@register.simple_tag
def review_counts() -> dict[str, int]:
    """How much waits in the review queue, by part (one COUNT per vocabulary and part)."""
    return review.counts()
