"""The web app's JSON API gives the CLI's and the Python API's numbers; pages escape hostile text; read-only."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest

import dyadwatch
from dyadwatch.cli import main
from dyadwatch.serve.app import csv_text
from tests.report.reportfix import INJECT_AGENDA, INJECT_NAME, INJECT_SENTENCE, build_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "s.duckdb"
    con = build_store(path)
    from dyadwatch.serve.alerts import dyad_alerts, record
    from dyadwatch.serve.config import AlertRules
    from dyadwatch.serve.state import dyad_state

    from dyadwatch.store.db import ensure_schema

    from dyadwatch.serve.views import default_dyads

    ensure_schema(con)
    assert default_dyads(con) == [("IRN", "RUS"), ("RUS", "ISR"), ("IRN", "SAU"), ("RUS", "TUR"), ("RUS", "SYR")]
    for a, b in default_dyads(con)[1:]:  # what a watch of the flagship five stores
        record(con, a, b, dyad_state(con, a, b), [], 1)
    state = dyad_state(con, "IRN", "RUS")
    found = dyad_alerts(con, "IRN", "RUS", AlertRules(freq="month", min_events=1))
    found.append({"a": "IRN", "b": "RUS", "alert_id": "al:hostile", "kind": "volume", "measure": "volume",
                  "period": "2016-12", "band": "large", "value": 9.0, "norm_4": 1.0, "norm_52": 1.0, "change_4": 8.0,
                  "change_52": 8.0, "message": "=HYPERLINK(\"http://evil\") <b>bold</b>", "evidence_from": None,
                  "evidence_to": None})
    record(con, "IRN", "RUS", state, found, 1)
    con.close()
    return path


@pytest.fixture(scope="module")
def client(store_path):
    """The app under a real uvicorn server on 127.0.0.1 (in a thread of this process), and a client."""
    from tests.serve.conftest import app_server

    with app_server(store_path) as (_app, c):
        yield c


def _cli_json(capsys, *args):
    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("query, cli", [
    ("freq=year", ["--freq", "year"]),
    ("freq=month&from=2013-06&to=2014-05", ["--freq", "month", "--from", "2013-06", "--to", "2014-05"]),
    ("freq=quarter&root=04&root=11", ["--freq", "quarter", "--root", "04", "--root", "11"]),
    ("freq=year&directed=1", ["--freq", "year", "--directed"]),
])
def test_serve_api_dyad_equals_cli_and_python_api(client, store_path, capsys, query, cli):
    got = client.get(f"/api/dyad/IRN/RUS?{query}")
    assert got.status_code == 200
    rows = got.json()["series"]
    assert rows == _cli_json(capsys, "dyad", "IRN", "RUS", *cli, "--format", "json", "--db", str(store_path))
    with dyadwatch.open(store_path, read_only=True) as dw:
        kw = {"freq": cli[1], "directed": "--directed" in cli}
        if "--from" in cli:
            kw.update(date_from="2013-06", date_to="2014-05")
        if "--root" in cli:
            kw["roots"] = ["04", "11"]
        df = dw.dyad("IRN", "RUS", **kw)
    assert [r["events"] for r in rows] == df["events"].tolist()
    assert [r["net_coop"] for r in rows] == [None if v != v else v for v in df["net_coop"]]
    assert sum(r["events"] for r in rows) > 0


def test_serve_api_events_equals_cli(client, store_path, capsys):
    got = client.get("/api/events?a=IRN&b=RUS&from=2014-01&to=2014-03&order=intensity").json()
    cli = _cli_json(capsys, "events", "IRN", "RUS", "--from", "2014-01", "--to", "2014-03", "--order", "intensity",
                    "--format", "json", "--db", str(store_path))
    assert got["events"] == cli and got["total"] == len(cli) == 30  # 120 events a year, 10 a month
    csv_rows = list(csv.DictReader(io.StringIO(client.get(
        "/api/events?a=IRN&b=RUS&from=2014-01&to=2014-03&order=intensity&format=csv").text)))
    assert [r["event_id"] for r in csv_rows] == [r["event_id"] for r in cli]


def test_serve_api_alerts_profile_and_csv(client, store_path):
    from dyadwatch.serve.alerts import list_alerts

    js = client.get("/api/alerts").json()["alerts"]
    with dyadwatch.open(store_path, read_only=True) as dw:
        df = list_alerts(dw.con)
    assert [a["alert_id"] for a in js] == df["alert_id"].tolist() and "al:hostile" in df["alert_id"].tolist()
    text = client.get("/api/alerts?format=csv").text
    assert "'=HYPERLINK" in text  # a formula from the data does not run in a spreadsheet
    prof = client.get("/api/profile/IRN/RUS").json()["years"]
    assert [p["year"] for p in prof] == list(range(2008, 2017))
    assert prof[-1]["verdict"] == _profile_cli(store_path)[-1]["verdict"]
    assert csv_text([{"x": "-3"}, {"x": "-cmd"}]) == "x\n-3\n'-cmd\n"


def _profile_cli(store_path):
    from dyadwatch.analysis.profile import relationship_profile

    with dyadwatch.open(store_path, read_only=True) as dw:
        return [p.to_dict() for p in relationship_profile(dw.con, "IRN", "RUS")]


def test_serve_pages_escape_hostile_text(client):
    page = client.get("/dyad/IRN/RUS?freq=month&from=2014-02&to=2014-02")  # the hostile event's month
    assert page.status_code == 200
    html = page.text
    for hostile in (INJECT_SENTENCE, INJECT_NAME):
        assert hostile not in html
    assert "&lt;img src=x onerror=alert(&#34;sentence&#34;)&gt;" in html
    assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;Tehran" in html
    assert "<script>alert" not in html and "onerror=alert" not in html.replace("&lt;img src=x onerror", "")
    alerts = client.get("/alerts").text
    assert "<b>bold</b>" not in alerts and "&lt;b&gt;bold&lt;/b&gt;" in alerts
    assert page.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'")
    # the report section appears once computed (background), with the veto agenda escaped
    deadline = time.monotonic() + 180
    while client.get("/api/report/IRN/RUS").status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.5)
    full = client.get("/dyad/IRN/RUS").text
    assert "Verdict per year" in full and INJECT_AGENDA not in full


def test_serve_report_api_equals_report_content(client, store_path):
    from dyadwatch.report.content import report_content

    deadline = time.monotonic() + 180
    while (r := client.get("/api/report/IRN/RUS")).status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.5)
    got = r.json()
    assert got["status"] == "ready"
    with dyadwatch.open(store_path, read_only=True) as dw:
        want = report_content(dw.con, "IRN", "RUS")
    for k in ("series", "changes", "verdicts", "classification"):
        assert got["report"][k] == json.loads(json.dumps(want[k])), k


def test_serve_watchlist_has_the_flagship_five(client, store_path):
    rows = client.get("/api/watchlist").json()["dyads"]
    assert sorted((r["a"], r["b"]) for r in rows) == sorted([("IRN", "RUS"), ("RUS", "ISR"), ("IRN", "SAU"),
                                                             ("RUS", "TUR"), ("RUS", "SYR")])
    irn = next(r for r in rows if (r["a"], r["b"]) == ("IRN", "RUS"))
    assert irn["computed_by"] == "watch" and irn["alerts"] >= 1
    # the state the watch stored is the one computed now
    from dyadwatch.serve.state import dyad_state

    with dyadwatch.open(store_path, read_only=True) as dw:
        fresh = dyad_state(dw.con, "IRN", "RUS")
    assert (irn["arrow"], irn["rationale"], irn["verdict"]) == (fresh["arrow"], fresh["rationale"], fresh["verdict"])
    html = client.get("/").text
    assert html.count('class="dyad-row"') == 5 and "Iran–Russia" in html


@pytest.mark.parametrize("method, url, headers, status, text", [
    ("POST", "/", {}, 405, ""),
    ("DELETE", "/api/alerts", {}, 405, ""),
    ("GET", "/", {"host": "evil.example"}, 400, "Invalid host header"),
    ("GET", "/api/dyad/IRN/ATLANTIS", {}, 400, "ATLANTIS"),
    ("GET", "/api/dyad/IRN/RUS?freq=fortnight", {}, 400, "unknown frequency 'fortnight'"),
    ("GET", "/api/dyad/IRN/RUS?from=2014-13", {}, 400, "bad --from date"),
    ("GET", "/api/dyad/IRN/RUS?freq=day", {}, 400, "a daily series needs from and to"),
    ("GET", "/api/events?a=IRN&b=RUS&limit=abc", {}, 400, "limit must be a whole number"),
    ("GET", "/dyad/IRN/RUS?root=99", {}, 400, "unknown CAMEO root"),
    ("GET", "/static/../../etc/passwd", {}, 404, ""),
])
def test_serve_bad_requests_one_line_no_traceback(client, method, url, headers, status, text):
    r = client.request(method, url, headers=headers)
    assert r.status_code == status
    assert text in r.text and "Traceback" not in r.text


def test_serve_api_index_lists_endpoints_that_answer(client):
    r = client.get("/api/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    index = r.json()
    paths = [e["path"] for e in index["endpoints"]]
    assert paths == ["/api/dyad/{a}/{b}", "/api/events", "/api/changes/{a}/{b}", "/api/profile/{a}/{b}",
                     "/api/report/{a}/{b}", "/api/alerts", "/api/watchlist", "/api/freshness"]
    for p in paths:  # every endpoint listed answers (the report may still be computing: 202)
        url = p.replace("{a}", "IRN").replace("{b}", "RUS") + ("?a=IRN&b=RUS" if p == "/api/events" else "")
        assert client.get(url).status_code in (200, 202), url
    assert client.get("/api").json() == index


def test_serve_dyad_page_default_period_follows_the_data(client, store_path, tmp_path):
    """Fixture: IRN-RUS 120 events a year (10 a month) -> month; RUS-ISR 30 a year (2-3 a month, 6-9 a
    quarter) -> quarter; a pair with dyad-year counts -> year. The page states the period and why."""
    from dyadwatch.serve.views import MIN_EVENTS_PER_PERIOD, default_freq
    from tests.relations.storefix import make_store

    assert MIN_EVENTS_PER_PERIOD == 5
    with dyadwatch.open(store_path, read_only=True) as dw:
        irn, why = default_freq(dw.con, "IRN", "RUS")
        assert irn == "month" and "(median 10)" in why and "2008-01 to 2016-12" in why
        assert default_freq(dw.con, "RUS", "ISR")[0] == "quarter"
        assert default_freq(dw.con, "USA", "SAU") == ("year", "per year: the store holds no events of this pair")
    con = make_store(tmp_path / "counts.duckdb", events=[(1, "2014-03-02", "IRN", "RUS", 1)],
                     counts=[("IRN", "RUS", 2013, 5, 0, 1, 0), ("RUS", "IRN", 2014, 2, 1, 0, 0)])
    try:
        freq, why = default_freq(con, "IRN", "RUS")
    finally:
        con.close()
    assert freq == "year" and "dyad-year counts" in why and "2013–2014" in why
    html = client.get("/dyad/RUS/ISR").text
    assert "Period: quarter (default per quarter: the finest period whose median quarter" in html
    assert '<option value="quarter" selected>' in html and "2016Q4" in html
    asked = client.get("/dyad/RUS/ISR?freq=month").text
    assert "Period: month (as asked)." in asked and "2016-12" in asked


def test_serve_dyad_page_data_set_labels_never_wrap(client):
    """A data set label in the series and events tables is one unbreakable word ('icews18' broke as
    'icews1 8' under the cells' overflow-wrap: anywhere at 800 px)."""
    html = client.get("/dyad/IRN/RUS?freq=year").text
    table = html[html.index('<table id="series-table">'):]
    table = table[:table.index("</table>")]
    assert table.count('<td><span class="nowrap">toy</span></td></tr>') == 9  # 2008-2016, data set "toy"
    assert '<td class="nowrap">toy</td>' in html  # the events list
