"""Serializer fields that take the JSON types the schema names, and only those.

DRF turns 0 into "0", "yes" into True and "" into null for relations; an API client that sends the wrong
type is told so instead. Slugs are checked before any query: PostgreSQL refuses some strings (NUL) outright.
"""

import re

from rest_framework import serializers

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # The schema's maxLength counts what is sent; DRF checks the length after trimming the spaces.
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    pass


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class SlugReferenceField(serializers.SlugRelatedField):
    """An object by its slug; a string that cannot be a slug names nothing."""

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null for relations; here it is a slug that names nothing.
        if data == "":
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data):
        # "invalid" rather than DRF's "does_not_exist", which repeats the value, whatever it holds, in the answer.
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class SlugReferenceListField(serializers.ManyRelatedField):
    """A JSON list of slugs (DRF would also take an object's keys)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)
