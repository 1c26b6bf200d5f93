"""The README against the code: store schema, environment, URL contract and CLI flags.

As datasette does it: documentation that drifts from the code fails the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.routes import VIEWS
from geodata import config, schema
from geodata.config import PROJECT_DIR
from pipelines.__main__ import make_parser

README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
TICKED = re.compile(r"`([^`]+)`")


def section(title: str) -> str:
    start = README.index(title)
    following = README.find("\n## ", start + len(title))
    return README[start : following if following > 0 else len(README)]


def table_rows(text: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table whose header row starts with `header`."""
    lines = text[text.index(header) :].splitlines()
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def without_parentheses(text: str) -> str:
    while True:
        stripped = re.sub(r"\([^()]*\)", "", text)
        if stripped == text:
            return text
        text = stripped


def test_the_store_schema_table_lists_every_table_and_its_columns_in_order():
    rows = table_rows(section("## The store"), "| table | columns |")
    documented = {}
    for name_cell, columns_cell in rows:
        name = TICKED.findall(name_cell)[0]
        columns = TICKED.findall(without_parentheses(columns_cell).split(": ", 1)[-1])
        documented[name] = tuple(columns)
    assert set(documented) == set(schema.SCHEMA)
    for name, columns in schema.SCHEMA.items():
        assert documented[name] == columns, name


def test_the_environment_table_lists_exactly_what_the_settings_read():
    rows = table_rows(section("## Where the data comes from"), "| variable | default | what |")
    documented = {TICKED.findall(row[0])[0] for row in rows}
    source = Path(config.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:\.get)?\(\s*"([A-Z_]+)"', source))
    read |= set(re.findall(r'_from_env\(\s*env,\s*"([A-Z_]+)"', source))
    assert documented == read


def test_the_url_contract_lists_every_parameter_of_every_page():
    rows = table_rows(section("## The dashboard"), "| path | parameters |")
    documented = {
        TICKED.findall(path)[0].strip("/"): TICKED.findall(without_parentheses(params))
        for path, params in rows
    }
    assert set(documented) == set(VIEWS)
    for page, view_type in VIEWS.items():
        assert set(documented[page]) == set(view_type.PARAMS), page


def cli_options() -> dict[str, set[str]]:
    parser = make_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    return {
        name: {o for action in sub._actions for o in action.option_strings if o.startswith("--")}
        - {"--help"}
        for name, sub in subparsers.choices.items()
    }


def test_every_cli_flag_in_the_readme_exists_and_every_flag_is_documented():
    options = cli_options()
    documented: dict[str, set[str]] = {name: set() for name in options}
    for line in README.splitlines():
        match = re.search(r"python -m pipelines ([a-z-]+)(.*)", line)
        if match and match.group(1) in options:
            documented[match.group(1)] |= set(re.findall(r"--[a-z][a-z-]*", match.group(2)))
    for name, flags in documented.items():
        assert flags <= options[name], f"{name}: README names {flags - options[name]}"
    for name in ("build", "check", "export", "status"):
        text = "\n".join(line for line in README.splitlines() if f"pipelines {name}" in line)
        block = section("## Command line") + section("## Exports")
        missing = {f for f in options[name] if f not in text and f not in block}
        assert not missing, f"{name}: undocumented {missing}"
