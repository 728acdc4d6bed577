"""The watch configuration: what it accepts, and one clear line for what it does not."""

from __future__ import annotations

import pytest

from dyadwatch.errors import InputError, UsageError
from dyadwatch.serve.config import load_config, parse_interval

GOOD = """
[schedule]
interval = "15m"
[collect]
feeds = ["https://example.org/world/rss.xml"]
pages = ["https://example.org/a.html"]
allow_networks = ["127.0.0.1/32"]
rate_limit = 0.5
[datasets.gdelt2]
dest = "data"
[[dyads]]
a = "Iran"
b = "RUS"
[[dyads]]
a = "RUS"
b = "IRN"
[alerts]
large = 0.3
min_events = 3
"""


def _write(tmp_path, text):
    p = tmp_path / "watch.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_serve_config_good_file(tmp_path):
    cfg = load_config(_write(tmp_path, GOOD))
    assert cfg.interval == 900.0
    assert cfg.dyads == (("IRN", "RUS"),)  # names resolved, the reversed pair once
    assert cfg.sources == ["https://example.org/world/rss.xml", "https://example.org/a.html"]
    assert cfg.allow_networks == ("127.0.0.1/32",) and cfg.rate_limit == 0.5
    assert [d.name for d in cfg.datasets] == ["gdelt2"] and cfg.datasets[0].dest == "data"
    assert (cfg.alerts.large, cfg.alerts.moderate, cfg.alerts.min_events, cfg.alerts.freq) == (0.3, 0.10, 3, "week")


@pytest.mark.parametrize("value, seconds", [("15m", 900), ("90s", 90), ("1h", 3600), ("1d", 86400), (30, 30),
                                            ("2.5m", 150)])
def test_serve_config_intervals(value, seconds):
    assert parse_interval(value, "x") == seconds


@pytest.mark.parametrize("text, message", [
    ('[[dyads]]\na = "IRN"\nb = "RUS"\n[schedule]\ninterval = "5s"\n', "at least 10 s"),
    ('[[dyads]]\na = "IRN"\nb = "RUS"\n[schedule]\ninterval = "soon"\n', "bad duration 'soon'"),
    ('[[dyads]]\na = "IRN"\nb = "RUS"\n[colect]\nfeeds = []\n', "unknown key 'colect'"),
    ('[[dyads]]\na = "IRN"\nb = "RUS"\n[collect]\nfeeds = ["file:///etc/passwd"]\n', "not a usable http(s) URL"),
    ('[[dyads]]\na = "IRN"\nb = "RUS"\n[collect]\nallow_networks = ["everything"]\n', "is not a network"),
    ('[[dyads]]\na = "IRN"\nb = "Atlantis"\n', "Atlantis"),
    ('[[dyads]]\na = "IRN"\nb = "IRN"\n', "IRN"),
    ('dyads = ["IRN-RUS-SYR"]\n', "write a dyad as"),
    ('[collect]\nfeeds = []\n', "no dyads to watch"),
    ('dyads = ["IRN-RUS"]\n[datasets.petrarch-dictionaries]\n', "no dyadwatch reader yet"),
    ('dyads = ["IRN-RUS"]\n[datasets.nosuch]\n', "nosuch"),
    ('dyads = ["IRN-RUS"]\n[alerts]\nlarge = 0.1\nmoderate = 0.2\n', "must not exceed large"),
    ('dyads = ["IRN-RUS"]\n[alerts]\nlarge = nan\n', "expected a number"),
    ('dyads = ["IRN-RUS"]\n[alerts]\nfreq = "fortnight"\n', "unknown frequency 'fortnight'"),
])
def test_serve_config_bad_values_name_the_key(tmp_path, text, message):
    with pytest.raises(UsageError) as exc:
        load_config(_write(tmp_path, text))
    assert message in exc.value.one_line() and str(tmp_path) in exc.value.one_line()


def test_serve_config_bad_toml_names_the_line(tmp_path):
    p = _write(tmp_path, 'dyads = ["IRN-RUS"]\n[schedule\ninterval = 1\n')
    with pytest.raises(InputError) as exc:
        load_config(p)
    assert exc.value.line == 2 and "not valid TOML" in exc.value.reason
    with pytest.raises(InputError, match="not found"):
        load_config(tmp_path / "missing.toml")
    (tmp_path / "latin1.toml").write_bytes(b'dyads = ["IRN-RUS"] # caf\xe9\n')
    with pytest.raises(InputError, match="not valid UTF-8"):
        load_config(tmp_path / "latin1.toml")
