"""Reading a news file, without a database or a request: the importer's pipeline, one module a step.

1. `parsing`: decoding the bytes, dropping site chrome, and the fields (headline, dateline, source, body);
2. `dates`: the story's own date, chosen among the dates it shows by their evidence;
3. `countries`: the countries it names, in English and the desk's other languages;
4. `entities`: the people it names, the vocabulary they are resolved against, and `find_entities`, which reads
   everything a story is about;
5. `agreements`: each instrument a sentence reports, what happened to it and what it covers.

articles/tagging.py turns the findings into tags on a story; articles/evaluation.py scores the reading on real
pages.
"""
