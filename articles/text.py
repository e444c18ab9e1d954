"""Small text helpers shared by the parser, the entity finder and the models."""

import re

from django.utils.text import slugify
from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(value: str) -> str:
    """Fold a name for comparison: ASCII, lower case, punctuation as single spaces."""
    return _NON_ALNUM.sub(" ", unidecode(value).lower()).strip()


def ascii_slug(value: str, max_length: int = 100) -> str:
    """Slugify to ASCII so that `<slug:>` URLs accept it ("Sébastien" -> "sebastien")."""
    slug = slugify(unidecode(value))[:max_length].strip("-")
    return slug or "item"
