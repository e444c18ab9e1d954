"""Request bodies: JSON whose strings are all real text."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class TextJSONParser(JSONParser):
    """Refuse a lone surrogate escape ("\\ud800") like any malformed JSON: it cannot be stored or answered back."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError("JSON parse error - a string holds a lone surrogate, which is not text.") from None
        return data
