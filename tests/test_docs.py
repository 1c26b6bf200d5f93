"""The docs against the code: store schema, environment, URL contract, CLI flags, layout.

As datasette does it: documentation that drifts from the code fails the tests. The README is
short and points into `docs/`; each check reads the file that documents its part.
"""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.routes import PAGES, VIEWS
from geodata import config, schema
from geodata.config import PROJECT_DIR
from pipelines.__main__ import make_parser

README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
DOCS = PROJECT_DIR / "docs"
TICKED = re.compile(r"`([^`]+)`")


def doc(name: str) -> str:
    return (DOCS / f"{name}.md").read_text(encoding="utf-8")


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


def test_the_readme_is_short_opens_with_the_two_commands_and_links_every_doc():
    lines = README.splitlines()
    assert len(lines) <= 130
    commands = [line.split("#")[0].strip() for line in lines[2:6] if line.startswith("make ")]
    assert commands == ["make app", "make test"]
    makefile = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    assert all(re.search(rf"^{c.split()[1]}:", makefile, re.M) for c in commands)
    linked = set(re.findall(r"\(docs/([a-z-]+)\.md\)", README))
    assert linked == {p.stem for p in DOCS.glob("*.md")}


def test_every_link_between_docs_points_at_a_doc():
    for path in DOCS.glob("*.md"):
        for target in re.findall(r"\]\(([a-z-]+\.md)\)", path.read_text(encoding="utf-8")):
            assert (DOCS / target).exists(), f"{path.name} links {target}"


def test_the_store_schema_table_lists_every_table_and_its_columns_in_order():
    rows = table_rows(doc("store"), "| table | columns |")
    documented = {}
    for name_cell, columns_cell in rows:
        name = TICKED.findall(name_cell)[0]
        columns = TICKED.findall(without_parentheses(columns_cell).split(": ", 1)[-1])
        documented[name] = tuple(columns)
    assert set(documented) == set(schema.SCHEMA)
    for name, columns in schema.SCHEMA.items():
        assert documented[name] == columns, name


def test_the_environment_table_lists_exactly_what_the_settings_read():
    rows = table_rows(doc("sources"), "| variable | default | what |")
    documented = {TICKED.findall(row[0])[0] for row in rows}
    source = Path(config.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:\.get)?\(\s*"([A-Z_]+)"', source))
    read |= set(re.findall(r'_from_env\(\s*env,\s*"([A-Z_]+)"', source))
    assert documented == read


def test_the_url_contract_lists_every_parameter_of_every_page():
    text = doc("dashboard")
    rows = table_rows(text, "| path | parameters |")
    documented = {
        TICKED.findall(path)[0].strip("/"): TICKED.findall(without_parentheses(params))
        for path, params in rows
    }
    assert set(documented) == set(VIEWS) == set(PAGES)
    for page, view_type in VIEWS.items():
        assert set(documented[page]) == set(view_type.PARAMS), page
    listed = {TICKED.findall(row[0])[0].strip("/") for row in table_rows(text, "| path | page |")}
    assert listed == set(PAGES)


def cli_options() -> dict[str, set[str]]:
    parser = make_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    return {
        name: {o for action in sub._actions for o in action.option_strings if o.startswith("--")}
        - {"--help"}
        for name, sub in subparsers.choices.items()
    }


def test_every_cli_flag_in_the_docs_exists_and_every_flag_is_documented():
    options = cli_options()
    text = "\n".join(doc(name) for name in ("command-line", "exports", "sources")) + README
    documented: dict[str, set[str]] = {name: set() for name in options}
    for line in text.splitlines():
        match = re.search(r"python -m pipelines ([a-z-]+)(.*)", line)
        if match and match.group(1) in options:
            documented[match.group(1)] |= set(re.findall(r"--[a-z][a-z-]*", match.group(2)))
    for name, flags in documented.items():
        assert flags <= options[name], f"{name}: the docs name {flags - options[name]}"
    block = doc("command-line") + doc("exports")
    for name in ("build", "check", "export", "status"):
        missing = {f for f in options[name] if f not in block}
        assert not missing, f"{name}: undocumented {missing}"


def test_the_architecture_names_existing_files_and_every_dashboard_folder():
    text = doc("architecture")
    for path in re.findall(
        r"`((?:dashboard|geodata|pipelines|tests)/[\w/.-]+\.(?:py|toml))`", text
    ):
        assert (PROJECT_DIR / path).exists(), path
    folders = {
        p.name for p in (PROJECT_DIR / "dashboard").iterdir() if (p / "__init__.py").exists()
    }
    assert all(f"{folder}/" in text for folder in folders), folders


#: Paths the docs name that a build or run creates (ignored by git).
GENERATED = {"geodata/cache/", "geodata/store.gpkg"}


def test_every_path_the_docs_name_exists():
    text = README + "\n".join(doc(p.stem) for p in DOCS.glob("*.md"))
    named = set(re.findall(r"`((?:dashboard|geodata|pipelines|benchmarks|tests)/[\w/.-]*)`", text))
    missing = sorted(p for p in named - GENERATED if not (PROJECT_DIR / p).exists())
    assert missing == []
