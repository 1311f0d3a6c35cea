"""Tests for briefkit.tableschema: reading a resource and checking it against its Table Schema."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from briefkit.tableschema import (
    MAX_PROBLEMS_PER_KIND,
    Problem,
    TableError,
    check_foreign_keys,
    check_table,
    load_schema,
    read_raw,
)


def write_csv(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def resource(fields: list[dict], name: str = "table", path: str = "table.csv", **schema) -> dict:
    return {"name": name, "path": path, "schema": {"fields": fields, **schema}}


def check(tmp_path: Path, text: str, fields: list[dict], **schema):
    """Write ``text`` as a CSV, read it and check it; (typed frame, problems)."""
    res = resource(fields, **schema)
    raw = read_raw(write_csv(tmp_path, text), res)
    return check_table(raw, res["schema"], res["name"])


def flagged(problems: list[Problem]) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.field) for p in problems}


def messages(problems: list[Problem]) -> list[str]:
    return [p.message for p in problems]


# --------------------------------------------------------------------------
# Problem


def test_problem_str_names_resource_row_and_field():
    problem = Problem("trade", 5, "year", 'value "19x9" is not an integer')
    assert str(problem) == 'trade row 5, field "year": value "19x9" is not an integer'


def test_problem_str_without_row_or_field():
    assert str(Problem("trade", None, None, "header does not match")) == "trade: header does not match"
    assert str(Problem("trade", 7, None, "row is blank")) == "trade row 7: row is blank"
    assert str(Problem("trade", None, "year", "... and 3 more")) == 'trade, field "year": ... and 3 more'


def test_problem_is_frozen_and_str_is_one_line():
    problem = Problem("t", 2, "a", "first line\nsecond line")
    with pytest.raises(AttributeError):
        problem.row = 3
    assert "\n" not in str(problem)


def test_cell_values_with_newlines_stay_on_one_line(tmp_path):
    _, problems = check(tmp_path, 'n\n"1\n2"\n', [{"name": "n", "type": "integer"}])
    assert messages(problems) == ['value "1\\n2" is not an integer']


# --------------------------------------------------------------------------
# read_raw


def test_read_raw_keeps_every_cell_as_text(tmp_path):
    path = write_csv(tmp_path, "code,count,note\n007,1.50,\nNA,,  padded  \n")
    raw = read_raw(path, resource([{"name": "code"}, {"name": "count"}, {"name": "note"}]))
    assert raw.to_dict("list") == {"code": ["007", "NA"], "count": ["1.50", ""], "note": ["", "  padded  "]}
    assert all(isinstance(v, str) for v in raw.to_numpy().ravel())


def test_read_raw_missing_file(tmp_path):
    with pytest.raises(TableError) as info:
        read_raw(tmp_path / "absent.csv", resource([{"name": "a"}]))
    assert info.value.problem.resource == "table"
    assert info.value.problem.row is None
    assert "does not exist" in info.value.problem.message


@pytest.mark.parametrize("header, says", [
    ("a,b", 'missing column(s) "c"'),
    ("a,b,c,d", 'unexpected column(s) "d"'),
    ("a,b,x", 'missing column(s) "c"; unexpected column(s) "x"'),
    ("a,c,b", 'columns are out of order: expected "a", "b", "c", found "a", "c", "b"'),
    ("a,b,c,c", 'repeated column(s) "c"'),
    ("a,b,c ", 'missing column(s) "c"; unexpected column(s) "c "'),
])
def test_read_raw_header_must_match_the_schema(tmp_path, header, says):
    path = write_csv(tmp_path, header + "\n")
    with pytest.raises(TableError) as info:
        read_raw(path, resource([{"name": "a"}, {"name": "b"}, {"name": "c"}]))
    assert info.value.problem.message == "header does not match the schema: " + says


def test_read_raw_empty_file(tmp_path):
    with pytest.raises(TableError, match="empty"):
        read_raw(write_csv(tmp_path, ""), resource([{"name": "a"}]))


@pytest.mark.parametrize("text, says", [
    ("a,b\n1,2\n3,4,5\n", "row 3 has 3 cells but the header has 2"),
    ("a,b\n1,2\n3\n", "row 3 has 1 cell but the header has 2"),
    ('a,b\n"x,\ny",2\n3,4,5\n6\n', "row 3 has 3 cells but the header has 2 (and 1 more rows"),
])
def test_read_raw_rows_with_the_wrong_number_of_cells(tmp_path, text, says):
    with pytest.raises(TableError) as info:
        read_raw(write_csv(tmp_path, text), resource([{"name": "a"}, {"name": "b"}]))
    assert says in info.value.problem.message


def test_read_raw_quoted_delimiters_and_newlines_are_one_cell(tmp_path):
    path = write_csv(tmp_path, 'a,b\n"x, y","line 1\nline 2"\r\n"say ""hi""",2\n')
    raw = read_raw(path, resource([{"name": "a"}, {"name": "b"}]))
    assert raw.to_dict("list") == {"a": ["x, y", 'say "hi"'], "b": ["line 1\nline 2", "2"]}


@pytest.mark.parametrize("name, res_extra", [
    ("table.csv.gz", {"compression": "gz"}),
    ("table.csv.gz", {}),  # the suffix is enough
])
def test_read_raw_gzip(tmp_path, name, res_extra):
    path = tmp_path / name
    path.write_bytes(gzip.compress("a,b\nx,1\ny,2\n".encode("utf-8")))
    raw = read_raw(path, {**resource([{"name": "a"}, {"name": "b"}], path=name), **res_extra})
    assert raw.to_dict("list") == {"a": ["x", "y"], "b": ["1", "2"]}


def test_read_raw_bad_gzip(tmp_path):
    path = tmp_path / "table.csv.gz"
    path.write_bytes(b"a,b\nnot compressed\n")
    with pytest.raises(TableError, match="not a valid gzip file"):
        read_raw(path, {**resource([{"name": "a"}, {"name": "b"}]), "compression": "gz"})


def test_read_raw_honours_encoding(tmp_path):
    path = tmp_path / "table.csv"
    path.write_bytes("name\nCôte d'Ivoire\n".encode("latin-1"))
    raw = read_raw(path, {**resource([{"name": "name"}]), "encoding": "latin-1"})
    assert raw["name"].tolist() == ["Côte d'Ivoire"]
    with pytest.raises(TableError, match="utf-8"):
        read_raw(path, resource([{"name": "name"}]))


def test_read_raw_drops_a_utf8_byte_order_mark(tmp_path):
    path = tmp_path / "table.csv"
    path.write_bytes(b"\xef\xbb\xbfid\nx\n")
    assert read_raw(path, resource([{"name": "id"}]))["id"].tolist() == ["x"]


def test_read_raw_resolves_a_schema_path_against_the_package(tmp_path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "t.json").write_text(json.dumps({"fields": [{"name": "a"}]}))
    (tmp_path / "data").mkdir()
    path = write_csv(tmp_path / "data", "a\n1\n", "t.csv")
    raw = read_raw(path, {"name": "t", "path": "data/t.csv", "schema": "schemas/t.json"})
    assert raw["a"].tolist() == ["1"]


# --------------------------------------------------------------------------
# load_schema


def test_load_schema_inline_and_by_path(tmp_path):
    schema = {"fields": [{"name": "a", "type": "integer"}]}
    assert load_schema(tmp_path, {"name": "t", "schema": schema}) == schema
    (tmp_path / "s.json").write_text(json.dumps(schema))
    assert load_schema(tmp_path, {"name": "t", "schema": "s.json"}) == schema


@pytest.mark.parametrize("content, says", [
    (None, "does not exist"),
    ("{not json", "not valid JSON"),
    ('{"fields": "a"}', '"fields"'),
])
def test_load_schema_failures(tmp_path, content, says):
    if content is not None:
        (tmp_path / "s.json").write_text(content)
    with pytest.raises(TableError, match=says) as info:
        load_schema(tmp_path, {"name": "t", "schema": "s.json"})
    assert info.value.problem.resource == "t"


def test_the_real_package_schemas_load():
    root = Path(__file__).resolve().parent.parent / "data"
    package = json.loads((root / "datapackage.json").read_text())
    for res in package["resources"]:
        assert load_schema(root, res)["fields"]


# --------------------------------------------------------------------------
# Types


@pytest.mark.parametrize("cell, value", [
    ("0", 0), ("-3", -3), ("+3", 3), (" 42 ", 42), ("007", 7), ("1_000", 1000),
    ("9223372036854775807", 2**63 - 1),
])
def test_integer_good(tmp_path, cell, value):
    typed, problems = check(tmp_path, f'n\n"{cell}"\n', [{"name": "n", "type": "integer"}])
    assert problems == []
    assert typed["n"].dtype == "Int64"
    assert typed["n"][0] == value


@pytest.mark.parametrize("cell", ["1.5", "1.0", "1e3", "abc", "1,000", "- 3", "0x10", "NaN", "true", "9223372036854775808"])
def test_integer_bad(tmp_path, cell):
    typed, problems = check(tmp_path, f'n\n1\n"{cell}"\n', [{"name": "n", "type": "integer"}])
    assert [str(p) for p in problems] == [f'table row 3, field "n": value "{cell}" is not an integer']
    assert typed["n"].isna().tolist() == [False, True]


@pytest.mark.parametrize("cell, value", [
    ("1.5", 1.5), ("-2", -2.0), ("1e3", 1000.0), ("1E-2", 0.01), (".5", 0.5), ("5.", 5.0),
    (" 7 ", 7.0), ("inf", np.inf), ("-Infinity", -np.inf), ("1_000.5", 1000.5),
])
def test_number_good(tmp_path, cell, value):
    typed, problems = check(tmp_path, f'x\n"{cell}"\n', [{"name": "x", "type": "number"}])
    assert problems == []
    assert typed["x"].dtype == np.float64
    assert typed["x"][0] == value


def test_number_nan_is_a_number_but_reads_as_nan(tmp_path):
    typed, problems = check(tmp_path, "x\nNaN\nnan\n", [{"name": "x", "type": "number", "constraints": {"required": True}}])
    assert problems == []
    assert typed["x"].isna().all()


@pytest.mark.parametrize("cell", ["1,000", "abc", "1.2.3", "1e", "--1", "$5", "1 000"])
def test_number_bad(tmp_path, cell):
    _, problems = check(tmp_path, f'x\n"{cell}"\n', [{"name": "x", "type": "number"}])
    assert messages(problems) == [f'value "{cell}" is not a number']


def test_number_group_and_decimal_chars(tmp_path):
    fields = [{"name": "x", "type": "number", "groupChar": ".", "decimalChar": ","}]
    typed, problems = check(tmp_path, 'x\n"1.234,5"\n"2,5"\n', fields)
    assert problems == []
    assert typed["x"].tolist() == [1234.5, 2.5]


def test_number_bare_number_false_strips_units(tmp_path):
    fields = [{"name": "x", "type": "number", "bareNumber": False}, {"name": "n", "type": "integer", "bareNumber": False}]
    typed, problems = check(tmp_path, "x,n\n$12.5,15%\n", fields)
    assert problems == []
    assert (typed["x"][0], typed["n"][0]) == (12.5, 15)


@pytest.mark.parametrize("cell, value", [
    ("true", True), ("True", True), ("TRUE", True), ("1", True),
    ("false", False), ("False", False), ("FALSE", False), ("0", False),
])
def test_boolean_default_values(tmp_path, cell, value):
    typed, problems = check(tmp_path, f"b\n{cell}\n", [{"name": "b", "type": "boolean"}])
    assert problems == []
    assert typed["b"].dtype == "boolean"
    assert typed["b"][0] is value or typed["b"][0] == value


@pytest.mark.parametrize("cell", ["yes", "t", "tRuE", " true", "2"])
def test_boolean_bad(tmp_path, cell):
    _, problems = check(tmp_path, f'b\n"{cell}"\n', [{"name": "b", "type": "boolean"}])
    assert messages(problems) == [
        f'value "{cell}" is not a boolean (expected one of "true", "True", "TRUE", "1", "false", "False", "FALSE", "0")'
    ]


def test_boolean_custom_values(tmp_path):
    fields = [{"name": "b", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]}]
    typed, problems = check(tmp_path, "b\nyes\nno\ntrue\n", fields)
    assert typed["b"].tolist()[:2] == [True, False]
    assert flagged(problems) == {(4, "b")}


@pytest.mark.parametrize("cell, value", [
    ("2022-02-02", "2022-02-02"), ("2020-02-29", "2020-02-29"), ("1648-10-24", "1648-10-24"),
    ("2020-1-5", "2020-01-05"),  # strptime takes unpadded months and days, like frictionless
])
def test_date_good(tmp_path, cell, value):
    typed, problems = check(tmp_path, f"d\n{cell}\n", [{"name": "d", "type": "date"}])
    assert problems == []
    assert typed["d"].dtype == "datetime64[s]"
    assert typed["d"][0] == pd.Timestamp(value)


@pytest.mark.parametrize("cell", ["2021-02-29", "2022-13-01", "02/02/2022", "2022-02-02T00:00:00", "2022", "22-02-02", "2022-02-02 "])
def test_date_bad(tmp_path, cell):
    typed, problems = check(tmp_path, f'd\n"{cell}"\n', [{"name": "d", "type": "date"}])
    assert messages(problems) == [f'value "{cell}" is not a date (expected YYYY-MM-DD)']
    assert typed["d"].isna().all()


def test_date_custom_format(tmp_path):
    typed, problems = check(tmp_path, "d\n24/10/1648\n1648-10-24\n", [{"name": "d", "type": "date", "format": "%d/%m/%Y"}])
    assert typed["d"][0] == pd.Timestamp("1648-10-24")
    assert messages(problems) == ['value "1648-10-24" is not a date (expected format %d/%m/%Y)']


@pytest.mark.parametrize("cell, good", [("2019", True), ("0999", True), ("19x9", False), ("201", False), ("20190", False), ("-123", False)])
def test_year(tmp_path, cell, good):
    typed, problems = check(tmp_path, f"y\n{cell}\n", [{"name": "y", "type": "year"}])
    assert typed["y"].dtype == "Int64"
    if good:
        assert problems == [] and typed["y"][0] == int(cell)
    else:
        assert messages(problems) == [f'value "{cell}" is not a year (four digits)']


def test_string_typed_column_uses_pandas_string_dtype_with_na(tmp_path):
    typed, problems = check(tmp_path, "s,n\nabc,1\n,2\n  ,3\n", [{"name": "s", "type": "string"}, {"name": "n"}])
    assert problems == []
    assert typed["s"].dtype == "string"
    assert typed["s"][0] == "abc"
    assert typed["s"][1] is pd.NA
    assert typed["s"][2] == "  "  # whitespace is a value, not missing


def test_typed_frame_has_schema_columns_and_raw_index(tmp_path):
    fields = [{"name": "s"}, {"name": "n", "type": "integer"}, {"name": "x", "type": "number"},
              {"name": "b", "type": "boolean"}, {"name": "d", "type": "date"}]
    typed, problems = check(tmp_path, "s,n,x,b,d\na,1,2.5,true,2020-01-01\n,,,,\nc,zz,zz,zz,zz\n", fields)
    assert list(typed.columns) == ["s", "n", "x", "b", "d"]
    assert list(typed.index) == [0, 1, 2]
    assert {k: str(v) for k, v in typed.dtypes.items()} == {
        "s": "string", "n": "Int64", "x": "float64", "b": "boolean", "d": "datetime64[s]"}
    assert typed.iloc[0].tolist() == ["a", 1, 2.5, True, pd.Timestamp("2020-01-01")]
    assert typed.iloc[1].isna().all()  # missing cells
    assert typed.iloc[2, 1:].isna().all()  # invalid cells
    assert flagged(problems) == {(3, None), (4, "n"), (4, "x"), (4, "b"), (4, "d")}


def test_schema_missing_values(tmp_path):
    fields = [{"name": "n", "type": "integer", "constraints": {"required": True}}, {"name": "s"}]
    typed, problems = check(tmp_path, "n,s\nNA,\n-,x\n", fields, missingValues=["NA", "-"])
    assert typed["s"].tolist() == ["", "x"]  # "" is a value once missingValues leaves it out
    assert [(p.row, p.message) for p in problems] == [(2, "required value is missing"), (3, "required value is missing")]


def test_unsupported_type_is_a_schema_problem(tmp_path):
    _, problems = check(tmp_path, "t\n10:00\n", [{"name": "t", "type": "time"}])
    assert [(p.row, p.field) for p in problems] == [(None, "t")]
    assert "not supported" in problems[0].message


# --------------------------------------------------------------------------
# Constraints


def test_required(tmp_path):
    fields = [{"name": "a", "constraints": {"required": True}}, {"name": "b"}]
    _, problems = check(tmp_path, "a,b\nx,1\n,2\n", fields)
    assert [str(p) for p in problems] == ['table row 3, field "a": required value is missing']


def test_required_cell_with_a_type_error_reports_only_the_type_error(tmp_path):
    fields = [{"name": "n", "type": "integer", "constraints": {"required": True}}]
    _, problems = check(tmp_path, "n\nabc\n", fields)
    assert messages(problems) == ['value "abc" is not an integer']


def test_unique_names_the_first_row(tmp_path):
    fields = [{"name": "n", "type": "integer", "constraints": {"unique": True}}, {"name": "s"}]
    _, problems = check(tmp_path, "n,s\n1,a\n2,b\n01,c\n,d\n,e\n1,f\n", fields)
    assert [(p.row, p.message) for p in problems] == [
        (4, 'value "01" is not unique, first seen on row 2'),  # typed values compare: 01 == 1
        (7, 'value "1" is not unique, first seen on row 2'),
    ]


@pytest.mark.parametrize("constraint, cell, message", [
    ({"minimum": 0}, "-3", "value -3 is below the minimum 0"),
    ({"maximum": 2030}, "2031", "value 2031 is above the maximum 2030"),
    ({"exclusiveMinimum": 0}, "0", "value 0 is not above the exclusive minimum 0"),
    ({"exclusiveMaximum": 10}, "10", "value 10 is not below the exclusive maximum 10"),
    ({"enum": [1, 2]}, "3", 'value "3" is not one of 1, 2'),
])
def test_integer_constraints(tmp_path, constraint, cell, message):
    fields = [{"name": "n", "type": "integer", "constraints": constraint}]
    _, problems = check(tmp_path, f"n\n1\n{cell}\n", fields)
    assert [(p.row, p.field, p.message) for p in problems] == [(3, "n", message)]


def test_number_minimum_rejects_nan_but_not_infinity(tmp_path):
    fields = [{"name": "x", "type": "number", "constraints": {"minimum": 0}}]
    _, problems = check(tmp_path, "x\n0\n-0.5\nNaN\ninf\n", fields)
    assert [(p.row, p.message) for p in problems] == [
        (3, "value -0.5 is below the minimum 0"),
        (4, "value NaN cannot be compared with the minimum 0"),
    ]


def test_date_minimum(tmp_path):
    fields = [{"name": "d", "type": "date", "constraints": {"minimum": "2000-01-01"}}]
    _, problems = check(tmp_path, "d\n2000-01-01\n1999-12-31\n", fields)
    assert messages(problems) == ["value 1999-12-31 is below the minimum 2000-01-01"]


def test_enum_on_integers_compares_typed_values(tmp_path):
    fields = [{"name": "n", "type": "integer", "constraints": {"enum": ["1", "2"]}}]
    _, problems = check(tmp_path, "n\n01\n+2\n3\n", fields)
    assert flagged(problems) == {(4, "n")}


def test_pattern_is_a_full_match(tmp_path):
    fields = [{"name": "code", "constraints": {"pattern": "[A-Z]{3}"}}, {"name": "n"}]
    _, problems = check(tmp_path, "code,n\nPAK,1\nPAKI,2\nxPAK,3\npak,4\n,5\n", fields)
    assert [(p.row, p.message) for p in problems] == [
        (3, 'value "PAKI" does not match the pattern "[A-Z]{3}"'),
        (4, 'value "xPAK" does not match the pattern "[A-Z]{3}"'),
        (5, 'value "pak" does not match the pattern "[A-Z]{3}"'),
    ]


def test_pattern_alternation_is_anchored_as_a_whole(tmp_path):
    _, problems = check(tmp_path, "k\nab\nb\nabc\n", [{"name": "k", "constraints": {"pattern": "ab|b"}}])
    assert flagged(problems) == {(4, "k")}


def test_string_enum(tmp_path):
    fields = [{"name": "kind", "constraints": {"enum": ["dataset", "article"]}}, {"name": "n"}]
    _, problems = check(tmp_path, "kind,n\ndataset,1\nDataset,2\n,3\n", fields)
    assert messages(problems) == ['value "Dataset" is not one of "dataset", "article"']


def test_min_and_max_length(tmp_path):
    fields = [{"name": "s", "constraints": {"minLength": 2, "maxLength": 3}}]
    _, problems = check(tmp_path, "s\nab\nabc\na\nabcd\nçé\n", fields)
    assert [(p.row, p.message) for p in problems] == [
        (4, 'value "a" is shorter than the minimum length 2 (1 character)'),
        (5, 'value "abcd" is longer than the maximum length 3 (4 characters)'),
    ]


def test_each_broken_constraint_is_its_own_problem(tmp_path):
    fields = [{"name": "s", "constraints": {"pattern": "[0-9]+", "maxLength": 3, "enum": ["x"]}}]
    _, problems = check(tmp_path, "s\nabcdef\n", fields)
    assert len(problems) == 3 and flagged(problems) == {(2, "s")}


def test_constraints_keep_the_value_in_the_typed_frame(tmp_path):
    fields = [{"name": "x", "type": "number", "constraints": {"minimum": 0}}]
    typed, problems = check(tmp_path, "x\n-3\n", fields)
    assert len(problems) == 1
    assert typed["x"][0] == -3


# --------------------------------------------------------------------------
# Primary keys, blank rows, row numbers, caps


PK_FIELDS = [{"name": "reporter"}, {"name": "partner"}, {"name": "year", "type": "integer"}, {"name": "source"}]


def test_duplicate_primary_key_names_the_first_row(tmp_path):
    text = ("reporter,partner,year,source\n"
            "PAK,BLR,2019,imf-dots\n"
            "PAK,BLR,2020,imf-dots\n"
            "PAK,BLR,2019,imf-dots\n"
            "PAK,BLR,2019,comtrade\n"
            "PAK,BLR,02019,imf-dots\n")
    _, problems = check(tmp_path, text, PK_FIELDS, primaryKey=["reporter", "partner", "year", "source"])
    assert [str(p) for p in problems] == [
        "table row 4: duplicate primary key (PAK, BLR, 2019, imf-dots), first seen on row 2",
        "table row 6: duplicate primary key (PAK, BLR, 02019, imf-dots), first seen on row 2",
    ]


def test_primary_key_parts_are_required(tmp_path):
    text = "reporter,partner,year,source\nPAK,,2019,imf-dots\n"
    _, problems = check(tmp_path, text, PK_FIELDS, primaryKey=["reporter", "partner", "year", "source"])
    assert [str(p) for p in problems] == [
        'table row 2, field "partner": required value is missing (part of the primary key)']


def test_single_field_primary_key(tmp_path):
    _, problems = check(tmp_path, "id\na\nb\na\na\n", [{"name": "id"}], primaryKey="id")
    assert messages(problems) == [
        "duplicate primary key (a), first seen on row 2",
        "duplicate primary key (a), first seen on row 2",
    ]
    assert [p.row for p in problems] == [4, 5]


def test_blank_row_is_one_problem(tmp_path):
    fields = [{"name": "a", "constraints": {"required": True}}, {"name": "b", "type": "integer"}]
    typed, problems = check(tmp_path, "a,b\nx,1\n,\n\ny,2\n", fields)
    assert [str(p) for p in problems] == [
        "table row 3: row is blank (every cell is missing)",
        "table row 4: row is blank (every cell is missing)",
    ]
    assert len(typed) == 4  # blank rows stay, so position i is still row i + 2


def test_first_data_row_is_row_two(tmp_path):
    _, problems = check(tmp_path, "n\nx\n1\ny\n", [{"name": "n", "type": "integer"}])
    assert [p.row for p in problems] == [2, 4]


def test_row_numbers_count_records_not_lines(tmp_path):
    _, problems = check(tmp_path, 'note,n\n"two\nlines",1\nok,x\n', [{"name": "note"}, {"name": "n", "type": "integer"}])
    assert [p.row for p in problems] == [3]


def test_inline_frame_rows_are_positions_plus_two():
    raw = pd.DataFrame({"n": ["1", "x", "3"]}, index=[10, 20, 30])
    typed, problems = check_table(raw, {"fields": [{"name": "n", "type": "integer"}]}, "t")
    assert [p.row for p in problems] == [3]
    assert list(typed.index) == [10, 20, 30]


def test_problems_are_capped_per_field_and_kind_with_a_summary():
    n = MAX_PROBLEMS_PER_KIND + 5
    raw = pd.DataFrame({"n": ["bad"] * n, "m": ["-1"] * n})
    schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "m", "type": "integer", "constraints": {"minimum": 0}}]}
    _, problems = check_table(raw, schema, "t")
    type_problems = [p for p in problems if p.field == "n"]
    assert len(type_problems) == MAX_PROBLEMS_PER_KIND + 1
    assert [p.row for p in type_problems[:-1]] == list(range(2, MAX_PROBLEMS_PER_KIND + 2))
    assert str(type_problems[-1]) == 't, field "n": ... and 5 more rows with the same problem (not an integer)'
    minimum = [p for p in problems if p.field == "m"]
    assert minimum[-1].row is None
    assert minimum[-1].message == "... and 5 more rows with the same problem (below the minimum 0)"


def test_missing_and_extra_columns_in_an_inline_frame():
    raw = pd.DataFrame({"a": ["1"], "z": ["2"]})
    typed, problems = check_table(raw, {"fields": [{"name": "a"}, {"name": "b", "type": "integer"}]}, "t")
    assert [(p.row, p.field, p.message) for p in problems] == [
        (None, "z", "column is not in the schema"),
        (None, "b", "column is missing from the table"),
    ]
    assert list(typed.columns) == ["a", "b"]
    assert typed["b"].isna().all()


def test_inline_frame_with_none_cells_counts_them_missing():
    raw = pd.DataFrame({"a": ["x", None, np.nan], "n": [1, 2, 3]}, dtype=object)
    schema = {"fields": [{"name": "a", "constraints": {"required": True}}, {"name": "n", "type": "integer"}]}
    typed, problems = check_table(raw, schema, "t")
    assert flagged(problems) == {(3, "a"), (4, "a")}
    assert typed["a"].isna().tolist() == [False, True, True]


# --------------------------------------------------------------------------
# Foreign keys


COUNTRIES = {"fields": [{"name": "iso3"}], "primaryKey": ["iso3"]}
TRADE = {
    "fields": [{"name": "reporter"}, {"name": "partner"}],
    "foreignKeys": [
        {"fields": ["reporter"], "reference": {"resource": "countries", "fields": ["iso3"]}},
        {"fields": "partner", "reference": {"resource": "countries", "fields": "iso3"}},
    ],
}


def typed_tables(**raw_columns) -> dict[str, pd.DataFrame]:
    schemas = {"countries": COUNTRIES, "trade": TRADE}
    return {name: check_table(pd.DataFrame(cols), schemas[name], name)[0] for name, cols in raw_columns.items()}


def test_dangling_foreign_key_is_named_with_its_row():
    tables = typed_tables(countries={"iso3": ["PAK", "BLR"]},
                          trade={"reporter": ["PAK", "XYZ", "BLR", ""], "partner": ["BLR", "PAK", "", "QQQ"]})
    problems = check_foreign_keys(tables, {"countries": COUNTRIES, "trade": TRADE})
    assert [str(p) for p in problems] == [
        'trade row 3, field "reporter": value "XYZ" is not in countries.iso3',
        'trade row 5, field "partner": value "QQQ" is not in countries.iso3',
    ]


def test_missing_referenced_resource_is_one_problem_per_foreign_key():
    tables = typed_tables(trade={"reporter": ["PAK"] * 50, "partner": ["BLR"] * 50})
    problems = check_foreign_keys(tables, {"trade": TRADE})
    assert [(p.row, p.field) for p in problems] == [(None, "reporter"), (None, "partner")]
    assert 'refers to resource "countries", which is not in the package' in problems[0].message


def test_self_referencing_foreign_key():
    schema = {"fields": [{"name": "id"}, {"name": "parent"}],
              "foreignKeys": [{"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}}]}
    typed, _ = check_table(pd.DataFrame({"id": ["a", "b", "c"], "parent": ["", "a", "z"]}), schema, "orgs")
    problems = check_foreign_keys({"orgs": typed}, {"orgs": schema})
    assert [str(p) for p in problems] == ['orgs row 4, field "parent": value "z" is not in orgs.id']


def test_multi_field_foreign_key():
    pairs = {"fields": [{"name": "a"}, {"name": "b"}]}
    events = {"fields": [{"name": "x"}, {"name": "y"}],
              "foreignKeys": [{"fields": ["x", "y"], "reference": {"resource": "pairs", "fields": ["a", "b"]}}]}
    tables = {"pairs": check_table(pd.DataFrame({"a": ["PAK"], "b": ["BLR"]}), pairs, "pairs")[0],
              "events": check_table(pd.DataFrame({"x": ["PAK", "BLR", "", "PAK"], "y": ["BLR", "PAK", "", ""]}), events, "events")[0]}
    problems = check_foreign_keys(tables, {"pairs": pairs, "events": events})
    assert [(p.row, p.field) for p in problems] == [(3, None), (5, None)]
    assert problems[0].message == 'values ("BLR", "PAK") of (x, y) are not in pairs (a, b)'


def test_foreign_keys_compare_typed_values():
    years = {"fields": [{"name": "y", "type": "integer"}]}
    facts = {"fields": [{"name": "y", "type": "integer"}],
             "foreignKeys": [{"fields": ["y"], "reference": {"resource": "years", "fields": ["y"]}}]}
    tables = {"years": check_table(pd.DataFrame({"y": ["2019"]}), years, "years")[0],
              "facts": check_table(pd.DataFrame({"y": ["02019", "2020"]}), facts, "facts")[0]}
    problems = check_foreign_keys(tables, {"years": years, "facts": facts})
    assert [(p.row, p.message) for p in problems] == [(3, "value 2020 is not in years.y")]


def test_dangling_foreign_keys_are_capped():
    tables = typed_tables(countries={"iso3": ["PAK"]}, trade={"reporter": ["XXX"] * 30, "partner": ["PAK"] * 30})
    problems = check_foreign_keys(tables, {"countries": COUNTRIES, "trade": TRADE})
    assert len(problems) == MAX_PROBLEMS_PER_KIND + 1
    assert problems[-1].message.startswith("... and 10 more rows with the same problem")


# --------------------------------------------------------------------------
# Same verdicts as frictionless


MIXED_SCHEMA = {
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True, "pattern": "[a-z]{2}[0-9]"}},
        {"name": "n", "type": "integer", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "x", "type": "number", "constraints": {"minimum": 0}},
        {"name": "flag", "type": "boolean"},
        {"name": "day", "type": "date", "constraints": {"required": True}},
        {"name": "y", "type": "year"},
        {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"], "maxLength": 1}},
        {"name": "tag", "type": "string", "constraints": {"unique": True, "minLength": 2}},
    ],
    "primaryKey": ["id", "day"],
}
MIXED_CSV = """id,n,x,flag,day,y,kind,tag
ab1,1,1.5,true,2020-01-01,2020,a,t1
ab2,+2,1e3,0,2020-1-2,1999,b,t2
AB3,x,-1,yes,2020-02-30,19x9,c,t1
ab4,101,NaN,TRUE,,+999,a,
ab1,-5,inf,1,2020-01-01,0000,bb,t
,1_000,1_000,False,2021-03-04,2021,,t5
ab7, 7 ,abc,,2021-03-05, 999,b,t5
ab8,1.0,0.0,true,2021-03-06,-999,a,t8
"""


def test_verdicts_match_frictionless(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    path = write_csv(tmp_path, MIXED_CSV)
    res = frictionless.Resource(path=path.name, basepath=str(tmp_path),
                                schema=frictionless.Schema.from_descriptor(MIXED_SCHEMA))
    report = res.validate(limit_errors=1000)
    theirs = {(row, field) for row, field, kind in report.flatten(["rowNumber", "fieldName", "type"])}

    ours_res = resource(MIXED_SCHEMA["fields"], primaryKey=MIXED_SCHEMA["primaryKey"])
    _, problems = check_table(read_raw(path, ours_res), MIXED_SCHEMA, "table")
    assert theirs, "the table is meant to have errors"
    assert flagged(problems) == theirs
