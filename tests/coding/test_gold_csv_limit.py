"""Reading a PLV gold file must not change the process-wide csv field limit."""
import csv

from dyadwatch.coding.gold import read_gold


def test_plv_read_leaves_the_csv_field_limit_as_found(tmp_path):
    p = tmp_path / "plv.tsv"
    p.write_text("sentence\tmarked_sentence\tgold_root\n"
                 "Iran met Russia.\t<s>Iran</s> met <t>Russia</t>.\tCONSULT\n", encoding="utf-8")
    before = csv.field_size_limit()
    csv.field_size_limit(16 * 1024 * 1024)
    try:
        recs = read_gold(p)
        assert len(recs) == 1
        assert csv.field_size_limit() == 16 * 1024 * 1024
    finally:
        csv.field_size_limit(before)
