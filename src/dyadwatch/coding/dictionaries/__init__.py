"""The field's standard coding dictionaries: TABARI/PETRARCH formats.

One module per job:

==================  ==========================================================
``text``            reading a dictionary file: UTF-8 check, binary refused, comments
``codes``           ``[CODE <restriction>]`` blocks and their date restrictions
``actors``          actor dictionaries (``*.actors.txt``) -> :class:`ActorFile`
``agents``          agent dictionaries (``*.agents.txt``) -> :class:`AgentFile`
``discards``        discard lists (``*.discards.txt``) and their matcher
``verbs``           verb dictionaries (``CAMEO.2.0.txt``) -> :class:`VerbDictionary`
``verb_matcher``    event codes for a verb of a spaCy parse, from verb dictionaries
``bridge``          actor and agent entries as the coder's actor records
``load``            files and directories -> :class:`DictionarySet`; the
                    publisher files' registry checksums; the parse cache
==================  ==========================================================

Example (the publisher's files, fetched with ``dyadwatch fetch petrarch-dictionaries``)::

    from dyadwatch.codebooks.cameo import CAMEO
    from dyadwatch.coding.dictionaries import load_dictionaries, registered_checksums

    d = load_dictionaries(["dyadwatch-data/petrarch-dictionaries"], event_codes=CAMEO,
                          trusted=registered_checksums())
    d.describe()        # "Phoenix.Countries.actors.txt (18,352 actors), ..."
    matcher = VerbMatcher(d.verbs)
    matcher.match(doc[3])          # VerbMatch(codes=EventCodes('0234'), pattern_line=..., ...)

Sources: PETRARCH 1 and 2 (``PETRreader.py``, openeventdata/petrarch and
petrarch2, MIT), the TABARI manual (Schrodt 2014, ch. 5).
"""

from dyadwatch.coding.dictionaries.actors import ActorEntry, ActorFile, read_actors
from dyadwatch.coding.dictionaries.agents import AgentEntry, AgentFile, read_agents
from dyadwatch.coding.dictionaries.codes import DatedCode, resolve
from dyadwatch.coding.dictionaries.discards import Discard, DiscardFile, DiscardMatcher, read_discards
from dyadwatch.coding.dictionaries.load import (DictionarySet, for_coder, load_dictionaries,
                                                registered_checksums)
from dyadwatch.coding.dictionaries.verb_matcher import VerbMatch, VerbMatcher
from dyadwatch.coding.dictionaries.verbs import EventCodes, VerbDictionary, read_verbs

__all__ = ["ActorEntry", "ActorFile", "AgentEntry", "AgentFile", "DatedCode", "DictionarySet", "Discard",
           "DiscardFile", "DiscardMatcher", "EventCodes", "VerbDictionary", "VerbMatch", "VerbMatcher",
           "for_coder", "load_dictionaries", "read_actors", "read_agents", "read_discards", "read_verbs",
           "registered_checksums", "resolve"]
