"""A tiny reader for engine tests: 'toy' CSV files whose header is
``id,date,src,tgt,code,quad,gold`` (written by the tests themselves)."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats

HEADER = ["id", "date", "src", "tgt", "code", "quad", "gold"]


class ToyReader:
    name = "toy"
    dataset = "toy"
    tables = ("events",)
    description = "test-only toy CSV"
    fail_after: int | None = None  # raise mid-read to test rollback

    def sniff(self, path: Path, head) -> bool:
        return bool(head.lines) and head.lines[0].split(",") == HEADER

    def read(self, path: Path, sink) -> None:
        rows = []
        with open(path, newline="", encoding="utf-8") as fh:
            r = csv.reader(fh)
            next(r)
            for lineno, rec in enumerate(r, start=2):
                sink.count_read(1)
                if self.fail_after is not None and lineno > self.fail_after:
                    raise RuntimeError("simulated crash in reader")
                if len(rec) != len(HEADER):
                    sink.reject(lineno, f"expected {len(HEADER)} columns, found {len(rec)}", ",".join(rec))
                    continue
                rows.append({"event_id": f"toy:{rec[0]}", "dataset": sink.dataset, "native_id": rec[0],
                             "event_date": rec[1], "src_country": rec[2], "tgt_country": rec[3],
                             "cameo_code": rec[4], "cameo_root": rec[4][:2], "quad_class": int(rec[5]),
                             "goldstein": float(rec[6]), "_line": lineno})
        if rows:
            t = pa.Table.from_pylist(rows)
            t = t.set_column(t.schema.get_field_index("event_date"), "event_date",
                             t.column("event_date").cast(pa.date32()))
            sink.add("events", t)


TOY = ToyReader()
formats.register(TOY)


def write_toy(path: Path, rows: list[tuple]) -> Path:
    lines = [",".join(HEADER)] + [",".join(str(x) for x in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
