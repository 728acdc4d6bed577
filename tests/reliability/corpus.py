"""A bad-input corpus for every built-in reader, generated in code.

Each reader has a *good* file (a header where the format has one, and a few
valid rows written by us) and a set of bad variants of it, one per kind of
damage that real downloads show (issue 8). :func:`variants` yields
``(kind, file name, bytes, expected)`` where ``expected`` is the documented
outcome (docs/reliability.md):

``("error", regex)``
    the whole file is refused: one ``error: FILE[:LINE]: reason`` line on
    stderr, exit code 3, nothing of the file stored;
``("rows", stored, {line: regex})``
    the file is stored as one batch: ``stored`` rows in the reader's primary
    table and each listed line in ``rejects`` with a reason matching regex
    (no other line rejected).
"""

from __future__ import annotations

import gzip
import io
import zipfile
from dataclasses import dataclass
from typing import Callable, Iterator

from dyadwatch.sources.gdelt import GDELT1_COLUMNS, GDELT2_COLUMNS

BIG_LINE_BYTES = 50 * 1024 * 1024


def gdelt_row(columns: tuple[str, ...], eid: int, date: str = "20150930", code: str = "042",
              goldstein: str = "1.9", quad: str = "1", a1: str = "IRN", a2: str = "RUS") -> str:
    """One raw GDELT export line with the given fields (others empty)."""
    vals = dict.fromkeys(columns, "")
    vals.update({"GLOBALEVENTID": str(eid), "SQLDATE": date, "MonthYear": date[:6], "Year": date[:4],
                 "Actor1Code": a1 + "GOV", "Actor1Name": "IRAN", "Actor1CountryCode": a1, "Actor1Type1Code": "GOV",
                 "Actor2Code": a2, "Actor2Name": "RUSSIA", "Actor2CountryCode": a2,
                 "IsRootEvent": "1", "EventCode": code, "EventBaseCode": code, "EventRootCode": code[:2],
                 "QuadClass": quad, "GoldsteinScale": goldstein, "NumMentions": "4", "NumSources": "1",
                 "NumArticles": "4", "AvgTone": "-1.2", "ActionGeo_Type": "1", "ActionGeo_FullName": "Russia",
                 "ActionGeo_CountryCode": "RS", "ActionGeo_Lat": "60", "ActionGeo_Long": "100",
                 "DATEADDED": date + ("000000" if len(columns) == 61 else ""),
                 "SOURCEURL": f"https://example.org/news/{eid}"})
    return "\t".join(vals[c] for c in columns)


ICEWS_HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\t"
                "Intensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\t"
                "City\tDistrict\tProvince\tCountry\tLatitude\tLongitude")


def icews_row(eid: int, date: str = "2015-11-23", code: str = "040", intensity: str = "1") -> str:
    return "\t".join([str(eid), date, "Foreign Affairs (Iran)", "Government", "Iran", "Consult", code, intensity,
                      "Sergey Lavrov", "Government", "Russian Federation", str(9000 + eid), "1", "NA", "Moscow",
                      "NA", "Moskva", "Russian Federation", "55.75", "37.62"])


@dataclass(frozen=True)
class ReaderCase:
    """How to write a good file of one format and its field-level damage."""

    format: str
    suffix: str
    header: str | None            # header line, or None (GDELT raw exports have none)
    row: Callable[..., str]       # row(i, **field overrides) -> one line
    table: str                    # the reader's primary table
    date_field: str | None        # keyword of row() that holds a date
    date_bad: tuple[str, ...]     # unreadable dates for this format
    code_field: str | None = None     # keyword of row() that holds a CAMEO event code
    gold_field: str | None = None     # keyword of row() that holds a Goldstein value
    dup_differs: str | None = None    # keyword that can differ on a repeated key (a date)
    dup_value: str | None = None
    other_columns: Callable[[int], str] | None = None  # a row of another layout (wrong column count)
    # keyword of row() taking a raw (quoted) free-text field: set for the formats read with Python's
    # csv module (sources.alignment_support.csv_records), where a quoted field may span lines
    text_field: str | None = None

    def good_lines(self, n: int = 3) -> list[str]:
        return ([self.header] if self.header else []) + [self.row(i + 1) for i in range(n)]

    @property
    def first_data_line(self) -> int:
        return 2 if self.header else 1


def _ccsv(*vals) -> str:
    return ",".join(str(v) for v in vals)


CASES: dict[str, ReaderCase] = {
    "gdelt1": ReaderCase(
        "gdelt1", ".export.CSV", None,
        lambda i, date="20150930", code="042", gold="1.9": gdelt_row(GDELT1_COLUMNS, 1000 + i, date, code, gold),
        "events", "date", ("00000000", "20150230"), "code", "gold", "date", "20151001",
        lambda i: gdelt_row(GDELT2_COLUMNS, 5000 + i)),
    "gdelt2": ReaderCase(
        "gdelt2", ".export.CSV", None,
        lambda i, date="20150930", code="042", gold="1.9": gdelt_row(GDELT2_COLUMNS, 1000 + i, date, code, gold),
        "events", "date", ("00000000", "20150230"), "code", "gold", "date", "20151001",
        lambda i: gdelt_row(GDELT1_COLUMNS, 5000 + i)),
    "icews": ReaderCase(
        "icews", ".tab", ICEWS_HEADER,
        lambda i, date="2015-11-23", code="040", gold="1": icews_row(i, date, code, gold),
        "events", "date", ("0000-00-00", "2015-02-30"), "code", "gold", "date", "2015-11-24",
        lambda i: "\t".join([str(500 + i), "2015-11-23", "Iran", "Consult"])),
    "icews-names": ReaderCase(
        "icews-names", ".tsv", "source_name\tevent_text\ttarget_name\tevent_date",
        lambda i, date="2018-03-01", name="Consult": f"Iran\t{name}\tRussia {i}\t{date}",
        "events", "date", ("0000-00-00", "2015-02-30"),
        other_columns=lambda i: f"Iran\tConsult"),
    "unvotes": ReaderCase(
        "unvotes", ".csv", "rcid,session,importantvote,date,unres,amend,para,short,descr",
        lambda i, date="2014-12-18", rcid=None, descr="descr": _ccsv(rcid or 6000 + i, 69, 0, date, f"R/69/{i}",
                                                                     0, 0, "short", descr),
        "un_roll_calls", "date", ("00000000", "2015-02-30"), dup_differs="date", dup_value="2014-12-19",
        other_columns=lambda i: _ccsv(7000 + i, 69, 0), text_field="descr"),
    "atop": ReaderCase(
        "atop", ".csv", "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul",
        lambda i, year=None: _ccsv(365, 630, year or 1990 + i, 1, 0, 0, 1, 0),
        "atop_alliances", "year", ("0", "19x0"), dup_differs=None,
        other_columns=lambda i: _ccsv(365, 630)),
    "ucdp-acd": ReaderCase(
        "ucdp-acd", ".csv",
        "conflict_id,location,year,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,intensity_level,start_date",
        lambda i, start_date="2011-03-15", intensity="1", location="Syria": _ccsv(
            299, location, 2010 + i, 652, "630", "", "", intensity, start_date),
        "ucdp_conflicts", "start_date", ("0000-00-00", "2015-02-30"), dup_differs="intensity", dup_value="2",
        other_columns=lambda i: _ccsv(299, 2000), text_field="location"),
    "unsc-vetoes": ReaderCase(
        "unsc-vetoes", ".csv", "draft,agenda_item,meeting_record,date,member_veto1,member_veto2,member_veto3",
        lambda i, date="10/4/2011", agenda="Middle East": _ccsv(f"S/2011/{600 + i}", agenda, f"S/PV.{6600 + i}",
                                                                date, "Russia", "China", ""),
        "unsc_vetoes", "date", ("00/00/0000", "2/30/2015"), dup_differs=None,
        other_columns=lambda i: _ccsv("S/1999/1", "x"), text_field="agenda"),
}
#: the Parquet reader (no text damage applies; see :func:`parquet_variants`)
PARQUET_FORMATS = ("icews-dyad-year",)


def _join(lines: list[str], eol: str = "\n") -> bytes:
    return (eol.join(lines) + eol).encode("utf-8")


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return buf.getvalue()


def variants(case: str) -> Iterator[tuple[str, str, bytes, tuple]]:
    """The bad files of one text format: ``(kind, file name, bytes, expected outcome)``.

    Line numbers in the expectations are physical 1-based lines of the file.
    """
    c = CASES[case]
    fmt = case
    f0 = c.first_data_line
    good = c.good_lines(3)
    base = f"{fmt.replace('-', '_')}_%s{c.suffix}"
    name = lambda kind: base % kind  # noqa: E731

    yield "empty", name("empty"), b"", ("error", r"empty")
    if c.header:
        yield "header_only", name("header_only"), _join([c.header]), ("rows", 0, {})
    else:  # a raw export has no header: a file of blank lines holds no data lines either
        yield "header_only", name("blank_lines"), b"\n\n\n", ("error", r"no data lines")
    gz = _gzip(_join(good * 2000))
    yield "truncated_gzip", name("truncated") + ".gz", gz[: len(gz) // 2], ("error", r"truncated|corrupt")
    zp = _zip(name("inner"), _join(good * 2000))
    yield "truncated_zip", name("truncated") + ".zip", zp[: len(zp) // 2], ("error", r"truncated|corrupt|zip")
    # good archives of the same content must read (the damage is the truncation)
    yield "gzip_ok", name("whole") + ".gz", _gzip(_join(good)), ("rows", 3, {})
    yield "zip_ok", name("whole") + ".zip", _zip(name("inner"), _join(good)), ("rows", 3, {})

    # wrong column count: a row of the other layout between good rows
    lines = good[:1 + (f0 - 1)] + [c.other_columns(1)] + good[1 + (f0 - 1):]
    yield "wrong_columns", name("wrong_columns"), _join(lines), \
        ("rows", 3, {f0 + 1: r"number of fields|expected \d+ fields|malformed"})
    yield "bom", name("bom"), b"\xef\xbb\xbf" + _join(good), ("rows", 3, {})
    yield "crlf", name("crlf"), _join(good, "\r\n"), ("rows", 3, {})
    # mixed encodings: one Latin-1 line among UTF-8 lines, and an invalid byte sequence
    # the damage goes into the middle of the last line (a free-text or code field, not only the id)
    last = good[-1]
    mid = len(last) // 2
    data = _join(good[:-1]) + (last[:mid] + "\xe9" + last[mid:]).encode("latin-1") + b"\n"
    yield "latin1_line", name("latin1"), data, ("rows", 2, {f0 + 2: r"UTF-8"})
    data = _join(good[:-1]) + last[:mid].encode() + b"\xc3\x28" + last[mid:].encode() + b"\n"
    yield "invalid_utf8", name("invalid_utf8"), data, ("rows", 2, {f0 + 2: r"UTF-8"})
    data = _join(good[:-1]) + last[:mid].encode() + b"\x00" + last[mid:].encode() + b"\n"
    yield "nul_byte", name("nul"), data, ("rows", 2, {f0 + 2: r"NUL"})
    big = b"x" * BIG_LINE_BYTES
    yield "long_line", name("long_line"), _join(good[:-1]) + big + b"\n" + _join(good[-1:]), \
        ("rows", 3, {f0 + 2: r"^line size over maximum"})
    if c.text_field:  # read with Python's csv module: a quoted field over two lines, then the long line
        quoted = '"' + 'first line, ""quoted""\nsecond line' + '"'
        lines = [c.header, c.row(1, **{c.text_field: quoted}), c.row(2)]  # lines 1, 2-3, 4
        data = _join(lines) + big + b"\n" + _join([c.other_columns(1), c.row(3)])  # lines 5, 6, 7
        yield "long_line_after_quoted", name("long_line_quoted"), data, \
            ("rows", 3, {5: r"^line size over maximum", 6: r"expected \d+ fields"})
    if c.date_field:
        rows = [c.row(1)] + [c.row(i + 2, **{c.date_field: d}) for i, d in enumerate(c.date_bad)]
        yield "bad_dates", name("bad_dates"), _join(([c.header] if c.header else []) + rows), \
            ("rows", 1, {f0 + 1 + i: "|".join(["date|year|number"] + [d for d in c.date_bad])
                         for i in range(len(c.date_bad))})
    if c.code_field:
        rows = [c.row(1, **{c.code_field: "10"}), c.row(2, **{c.code_field: "999"}),
                c.row(3, **{c.code_field: "ABC"}), c.row(4, **{c.code_field: "231"})]
        yield "cameo_codes", name("cameo"), _join(([c.header] if c.header else []) + rows), \
            ("rows", 2, {f0 + 1: "999", f0 + 2: "ABC"})
    if c.gold_field:
        rows = [c.row(1), c.row(2, **{c.gold_field: "11"}), c.row(3, **{c.gold_field: "-10.5"}),
                c.row(4, **{c.gold_field: "nan"})]
        yield "goldstein_range", name("goldstein"), _join(([c.header] if c.header else []) + rows), \
            ("rows", 1, {f0 + 1: "11", f0 + 2: "-10.5", f0 + 3: "nan"})
    if c.dup_differs:
        rows = [c.row(1), c.row(1, **{c.dup_differs: c.dup_value}), c.row(2)]
        yield "duplicate_ids", name("dup_ids"), _join(([c.header] if c.header else []) + rows), \
            ("rows", 2, {f0 + 1: "duplicate|differ|collision"})


def parquet_variants() -> Iterator[tuple[str, str, bytes, tuple]]:
    """Bad files of the Parquet reader ``icews-dyad-year``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def table(rows):
        cols = ("i", "j", "year", "verbCoop", "matlCoop", "verbConf", "matlConf", "i_iso3c", "j_iso3c")
        types = (pa.string(), pa.string(), pa.int32(), *(pa.int64(),) * 4, pa.string(), pa.string())
        return pa.table({c: pa.array([r[k] for r in rows], t) for k, (c, t) in enumerate(zip(cols, types))})

    def parquet(rows) -> bytes:
        buf = io.BytesIO()
        pq.write_table(table(rows), buf)
        return buf.getvalue()

    good = [("Iran", "Russia", 2010 + k, 5, 1, 0, 0, "IRN", "RUS") for k in range(3)]
    yield "empty", "icews_dyad_year_empty.parquet", b"", ("error", "empty")
    yield "header_only", "icews_dyad_year_norows.parquet", parquet([]), ("rows", 0, {})
    data = parquet(good * 200)
    yield "truncated_file", "icews_dyad_year_truncated.parquet", data[: len(data) // 2], \
        ("error", "Parquet|parquet")
    bad = good + [("Iran", "Russia", 2020, -1, 0, 0, 0, "IRN", "RUS"),
                  ("Iran", "Russia", None, 1, 0, 0, 0, "IRN", "RUS"),
                  ("Atlantis", "Russia", 2021, 1, 0, 0, 0, None, "RUS")]
    yield "bad_values", "icews_dyad_year_bad.parquet", parquet(bad), \
        ("rows", 3, {4: "negative", 5: "year", 6: "Atlantis"})
    dup = good + [("Iran", "Russia", 2010, 9, 9, 9, 9, "IRN", "RUS")]
    yield "duplicate_ids", "icews_dyad_year_dup.parquet", parquet(dup), ("rows", 3, {4: "duplicate"})


CASES["unvotes-votes"] = ReaderCase(
    "unvotes", ".csv", "rcid,country,country_code,vote",
    lambda i, vote="yes", rcid=None: _ccsv(rcid or 6000 + i, "Iran", "IR", vote),
    "un_votes", None, (), dup_differs="vote", dup_value="no",
    other_columns=lambda i: _ccsv(7000 + i, "Iran"))

# state-system and panel readers (issue 17)
CASES["cow-states"] = ReaderCase(
    "cow-states", ".csv", "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version",
    lambda i, styear="1946", name="Iran": _ccsv("IRN", 600 + i, name, styear, 1, 1, 2016, 12, 31, 2016),
    "state_system", "styear", ("0", "19x0"), dup_differs="name", dup_value="Persia",
    other_columns=lambda i: _ccsv("IRN", 600 + i, "Iran"), text_field="name")
CASES["gw-states"] = ReaderCase(
    "gw-states", ".csv", "gwcode,stateabb,statename,startdate,enddate",
    lambda i, start="1946-01-01", name="Iran": _ccsv(600 + i, "IRN", name, start, "2017-12-31"),
    "state_system", "start", ("0000-00-00", "2015-02-30"), dup_differs="name", dup_value="Persia",
    other_columns=lambda i: _ccsv(600 + i, "IRN"), text_field="name")
CASES["cow-majors"] = ReaderCase(
    "cow-majors", ".csv", "ccode,styear,stmonth,stday,endyear,endmonth,endday,version",
    lambda i, styear="1946", version="2016": _ccsv(600 + i, styear, 1, 1, 2016, 12, 31, version),
    "cow_majors", "styear", ("0", "19x0"), dup_differs="version", dup_value="2011",
    other_columns=lambda i: _ccsv(600 + i, 1946))
CASES["cow-nmc"] = ReaderCase(
    "cow-nmc", ".csv", "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version",
    lambda i, year=None, cinc="0.01", abb="IRN": _ccsv(abb, 630, year or 2000 + i, 100, 50, 10, 20, 70000, 40000,
                                                      cinc, "6.0"),
    "cow_nmc", "year", ("0", "19x0"), dup_differs="cinc", dup_value="0.02",
    other_columns=lambda i: _ccsv("IRN", 630), text_field="abb")
CASES["cow-igo"] = ReaderCase(
    "cow-igo", ".csv", "ccode1,ccode2,year,dyadigos",
    lambda i, year=None, n="5": _ccsv(2, 365, year or 1990 + i, n),
    "cow_igo_dyads", "year", ("0", "19x0"), dup_differs="n", dup_value="6",
    other_columns=lambda i: _ccsv(2, 365))

# the newer event datasets (issue 17, item 3)
POLECAT_HEADER = ("Event ID\tEvent Date\tEvent Type\tEvent Mode\tEvent Intensity\tQuad Code\tContexts\tActor Name\t"
                  "Actor Country\tActor COW\tPrimary Actor Sector\tRecipient Name\tRecipient Country\tRecipient COW\t"
                  "Primary Recipient Sector\tCountry\tLatitude\tLongitude\tStory ID")


def polecat_row(i: int, date: str = "2023-01-03", gold: str = "-9.5", etype: str = "ASSAULT") -> str:
    return "\t".join([f"pc{i}", date, etype, "aerial", gold, "MATERIAL CONFLICT", "military", "Russian Air Force",
                      "RUS", "365", "MIL", f"Rebels {i}", "SYR", "652", "REB", "SYR", "35.9", "36.6", f"s{i}"])


CASES["polecat"] = ReaderCase(
    "polecat", ".txt", POLECAT_HEADER,
    lambda i, date="2023-01-03", gold="-9.5": polecat_row(i, date, gold),
    "polecat_events", "date", ("0000-00-00", "2015-02-30"), gold_field="gold", dup_differs="date", dup_value="2023-01-04",
    other_columns=lambda i: "\t".join([f"pc{500 + i}", "2023-01-03", "CONSULT", "visit"]))

ACLED_HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
                "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,country,location,latitude,longitude,"
                "geo_precision,source,notes,fatalities")


def acled_row(i: int, date: str = "2017-06-07", notes: str = "Clashes", fatalities: str = "4") -> str:
    return _ccsv(f"SYR{i}", date, 2017, 1, "Political violence", "Battles", "Armed clash",
                 "Military Forces of Syria (2000-)", "", 1, "Islamic State (Syria)", "", 2, 12, "Syria", "Raqqa",
                 35.95, 39.01, 1, "SOHR", notes, fatalities)


CASES["acled"] = ReaderCase(
    "acled", ".csv", ACLED_HEADER,
    lambda i, date="2017-06-07", notes="Clashes", fatalities="4": acled_row(i, date, notes, fatalities),
    "acled_events", "date", ("0000-00-00", "2015-02-30"), dup_differs="fatalities", dup_value="9",
    other_columns=lambda i: _ccsv(f"SYR{500 + i}", "2017-06-07"), text_field="notes")

UCDP_GED_HEADER = ("id,relid,year,active_year,type_of_violence,conflict_new_id,conflict_name,dyad_new_id,side_a_new_id,"
                   "side_a,side_b_new_id,side_b,where_prec,where_description,latitude,longitude,country,country_id,"
                   "event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,"
                   "best,high,low,gwnoa,gwnob")


def ucdp_ged_row(i: int, start: str = "2016-10-11", best: str = "7", where: str = "Aleppo town") -> str:
    return _ccsv(100 + i, f"SYR-2016-1-{i}", 2016, "TRUE", 1, 299, "Syria: Government", 11366, 116,
                 "Government of Syria", 5766, "Syrian insurgents", 1, where, 36.2, 37.16, "Syria", 652, 1, 1,
                 start, start, 1, 4, 2, 0, best, 12, 5, 652, "")


CASES["ucdp-ged"] = ReaderCase(
    "ucdp-ged", ".csv", UCDP_GED_HEADER,
    lambda i, start="2016-10-11", best="7", where="Aleppo town": ucdp_ged_row(i, start, best, where),
    "ucdp_ged_events", "start", ("0000-00-00", "2015-02-30"), dup_differs="best", dup_value="8",
    other_columns=lambda i: _ccsv(900 + i, "SYR"), text_field="where")
