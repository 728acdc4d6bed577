"""The in-memory actor dictionary: name look-up, phrase table, sector head words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from dyadwatch.codebooks.actors import countries_bridge
from dyadwatch.codebooks.actors.model import Actor, combine, normalize, tokens
from dyadwatch.codebooks.actors.readers import Record

_KIND_RANK = {"igo": 0, "group": 1, "country": 2, "person": 3, "agent": 4}


def _singulars(key: str) -> list[str]:
    """Plural -> singular guesses for the last word ("militias" -> "militia")."""
    out = []
    if key.endswith("ies"):
        out.append(key[:-3] + "y")
    if key.endswith("es"):
        out.append(key[:-2])
    if key.endswith("s"):
        out.append(key[:-1])
    return out


class ActorDictionary:
    """Actor names, aliases and phrases with their CAMEO actor codes.

    Built by :func:`dyadwatch.codebooks.actors.load`; immutable once built.
    Look-ups are exact after normalisation by
    :func:`dyadwatch.codebooks.actors.tokens` (case, accents, apostrophes,
    full stops, hyphens and a leading "the" do not matter).
    """

    def __init__(self, records: Iterable[Record], *, country_table: bool = True) -> None:
        """``country_table=False``: only the records given, without the country names and codes
        of :mod:`dyadwatch.codebooks.countries` (a coder run on a test suite's own dictionaries)."""
        self._country_table = country_table
        index: dict[str, list[Actor]] = defaultdict(list)
        upper: set[tuple[str, ...]] = set()
        lower: set[tuple[str, ...]] = set()
        for actor, forms, _line in records:
            for form in forms:
                toks = tokens(form)
                if not toks:
                    continue
                key = " ".join(toks)
                if actor not in index[key]:
                    index[key].append(actor)
                if form.isupper() and len(form.replace(".", "")) <= 5:
                    upper.add(toks)
                else:
                    lower.add(toks)
        self._index: dict[str, tuple[Actor, ...]] = {k: tuple(v) for k, v in index.items()}
        self._case_sensitive = frozenset(upper - lower)
        self._phrases: dict[tuple[str, ...], tuple[Actor, ...]] | None = None
        # answers are pure functions of (name, date): memoised (bounded) for repeated look-ups
        self._memo: dict[tuple[str, date | None], tuple[Actor, ...]] = {}

    # ---------------------------------------------------------------- look-up
    def resolve_all(self, name: str, on: date | None = None) -> tuple[Actor, ...]:
        """Every entry ``name`` may denote on date ``on`` (all dates when ``on`` is None).

        Country names known only to the countries code table are included as
        ``kind="country"`` actors.  Order: file order (offices of a person in
        order of importance).  When nothing matches exactly, a name made of a
        country (name, demonym, capital) and an agent phrase is composed:
        "Yemeni Armed Forces" -> ``YEMMIL``, "Iran's foreign minister" ->
        ``IRNGOV``, "Armed Forces of the Russian Federation" -> ``RUSMIL``.
        """
        memo = self._memo.get((name, on))
        if memo is not None:
            return memo
        if len(self._memo) > 200_000:
            self._memo.clear()
        result = self._resolve_all(name, on)
        self._memo[(name, on)] = result
        return result

    def _resolve_all(self, name: str, on: date | None) -> tuple[Actor, ...]:
        key = normalize(name)
        found = tuple(a for a in self._index.get(key, ()) if a.valid_on(on))
        if found:
            return found
        hit = None
        if key and self._country_table:
            hit = countries_bridge.resolve_country(name, on)
            if hit is None and key != name:
                hit = countries_bridge.resolve_country(key, on)
        if hit is not None:
            iso3, cameo, cname = hit
            return (Actor(code=cameo, country=iso3, sector=None, kind="country", name=cname),)
        composed = self._compose(tokens(name), on)
        return () if composed is None else (composed,)

    def _country_of(self, toks: tuple[str, ...], on: date | None) -> Actor | None:
        """The country actor a token sequence names (demonym, capital, name), or None."""
        if not toks:
            return None
        key = " ".join(toks)
        found = [a for a in self._index.get(key, ()) if a.valid_on(on)]
        if found:
            if all(a.kind == "country" for a in found) and len({a.code for a in found}) == 1:
                return found[0]
            return None
        hit = countries_bridge.resolve_country(key, on) if self._country_table else None
        if hit is None:
            return None
        iso3, cameo, cname = hit
        return Actor(code=cameo, country=iso3, sector=None, kind="country", name=cname)

    def _compose(self, toks: tuple[str, ...], on: date | None) -> Actor | None:
        """'<country|demonym> <agent phrase>' or '<agent phrase> of <country>' -> country+sector.

        "Yemeni Armed Forces" -> YEMMIL, "Iran's foreign minister" -> IRNGOV,
        "Armed Forces of the Russian Federation" -> RUSMIL.
        """
        found: tuple[Actor, str] | None = None
        for i in range(len(toks) - 1, 0, -1):
            sector = self.sector_of(" ".join(toks[i:]))
            if sector is None:
                continue
            base = self._country_of(toks[:i], on)
            if base is not None:
                found = (base, sector)
                break
        if found is None:
            for i, tok in enumerate(toks):
                if tok != "of" or i == 0 or i == len(toks) - 1:
                    continue
                sector = self.sector_of(" ".join(toks[:i]))
                tail = toks[i + 1:]
                if tail and tail[0] == "the":
                    tail = tail[1:]
                base = self._country_of(tail, on) if sector else None
                if base is not None and sector is not None:
                    found = (base, sector)
                    break
        if found is None:
            return None
        base, sector = found
        return Actor(code=combine(base, sector), country=base.country, sector=sector,
                     kind="country", name=base.name)

    def resolve(self, name: str, on: date | None = None) -> Actor | None:
        """The actor a name or alias denotes, or None.

        Parameters
        ----------
        name : str
            Surface name ("Sergey Viktorovich Lavrov", "Rowhani", "the Kremlin",
            "Daesh", "UN Security Council", "Iranian").
        on : datetime.date, optional
            Date of the event.  People resolve only inside a term of office
            (``valid_from <= on <= valid_to``); without ``on`` the most recent
            office is returned.

        Returns
        -------
        Actor or None
            None when nothing matches, or when the name is ambiguous on that
            date (two different people with different codes, e.g. a shared
            surname); :meth:`resolve_all` then lists the candidates.

        Rules: organisations, groups and countries win over people and
        agents of the same surface form; two different entities with different
        codes (e.g. "Congolese": COG or COD) give None; of one person's
        concurrent offices the first listed wins.
        """
        found = self.resolve_all(name, on)
        if not found:
            return None
        best_rank = min(_KIND_RANK[a.kind] for a in found)
        found = tuple(a for a in found if _KIND_RANK[a.kind] == best_rank)
        if len({a.name for a in found}) > 1 and len({a.code for a in found}) > 1:
            return None
        if on is None:
            return max(found, key=lambda a: (a.valid_from or date.min))
        return found[0]

    def sector_of(self, word_or_phrase: str) -> str | None:
        """CAMEO sector code of an agent head word or phrase, or None.

        ``sector_of("warplanes") == "MIL"``, ``sector_of("foreign minister") == "GOV"``.
        A plural not listed is tried in its singular form ("militias" -> "militia").
        """
        key = normalize(word_or_phrase)
        for k in [key, *_singulars(key)]:
            for a in self._index.get(k, ()):
                if a.kind == "agent":
                    return a.sector
        return None

    # ---------------------------------------------------------------- tables
    def phrases(self) -> Mapping[tuple[str, ...], tuple[Actor, ...]]:
        """Every surface phrase as a tuple of normalised tokens -> the entries it may denote.

        Includes demonyms, capitals and seats of government, country names
        (from the countries table), sector head words (``kind="agent"``),
        people's name variants (one Actor per office, each with its dates: filter
        with :meth:`Actor.valid_on`), IGO and armed-group names and acronyms.
        Tokens are produced by :func:`dyadwatch.codebooks.actors.tokens`, so a
        recogniser must normalise text tokens the same way (``tokens(tok.text)``)
        before matching.  Acronyms that must only match in upper case
        ("IS", "US", "WHO") are listed in :meth:`case_sensitive`.
        """
        if self._phrases is None:
            table: dict[tuple[str, ...], list[Actor]] = {
                tuple(k.split(" ")): list(v) for k, v in self._index.items()}
            for name, iso3 in (countries_bridge.country_names() if self._country_table else ()):
                toks = tokens(name)
                if not toks:
                    continue
                actor = Actor(code=countries_bridge.cameo_of(iso3), country=iso3, sector=None,
                              kind="country", name=countries_bridge.name_of(iso3))
                lst = table.setdefault(toks, [])
                if actor not in lst:
                    lst.append(actor)
            self._phrases = {k: tuple(v) for k, v in table.items()}
        return self._phrases

    def case_sensitive(self) -> frozenset[tuple[str, ...]]:
        """Phrases written as short all-capital acronyms (``("is",)``, ``("who",)``): match
        them only when the text is upper case, or they will fire on common words."""
        return self._case_sensitive

    def actors(self) -> tuple[Actor, ...]:
        """Every distinct entry (people once per office), in file order."""
        seen: dict[Actor, None] = {}
        for lst in self._index.values():
            for a in lst:
                seen.setdefault(a, None)
        return tuple(seen)

    def __len__(self) -> int:
        """Number of distinct surface forms (normalised)."""
        return len(self._index)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalize(name) in self._index
