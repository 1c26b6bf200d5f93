"""A small, fast XLSX writer for large tables (strings, numbers and empty cells only).

Why not xlsxwriter or openpyxl: both write one cell per Python call, which takes 10-20 s for
the whole region in the long layout (about 300,000 rows). Here each column is turned into its
XML cells with vectorised string operations and the sheet is streamed into the zip file, which
takes a few seconds. The output is a minimal, standard SpreadsheetML package: inline strings,
numeric values, empty cells as ``<c/>``, one style, no formulas.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
_SHEET_NAME = re.compile(r"^[^\[\]:*?/\\]{1,31}$")

_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _escape(text: pd.Series) -> pd.Series:
    return (
        text.str.replace(_CONTROL, "", regex=True)
        .str.replace("&", "&amp;", regex=False)
        .str.replace("<", "&lt;", regex=False)
        .str.replace(">", "&gt;", regex=False)
    )


def _string_cells(column: pd.Series) -> pd.Series:
    values = column.astype(object)
    present = values.notna()
    cells = pd.Series("<c/>", index=column.index, dtype=object)
    escaped = _escape(values[present].astype(str))
    cells[present] = '<c t="inlineStr"><is><t xml:space="preserve">' + escaped + "</t></is></c>"
    return cells


def _number_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _number_cells(column: pd.Series) -> pd.Series:
    values = column.to_numpy(dtype=float)
    finite = np.isfinite(values)
    cells = np.full(len(values), "<c/>", dtype=object)
    cells[finite] = ["<c><v>" + _number_text(v) + "</v></c>" for v in values[finite]]
    return pd.Series(cells, index=column.index, dtype=object)


def sheet_rows(table: pd.DataFrame) -> list[str]:
    """The `<row>` elements of a sheet: a bold header row, then one row per record."""
    header = "".join(
        f'<c t="inlineStr" s="1"><is><t xml:space="preserve">{_escape(pd.Series([str(c)])).iloc[0]}</t></is></c>'
        for c in table.columns
    )
    if table.empty:
        return [f"<row>{header}</row>"]
    cells = [
        _number_cells(table[c])
        if pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
        else _string_cells(table[c])
        for c in table.columns
    ]
    body = cells[0]
    for column in cells[1:]:
        body = body + column
    return [f"<row>{header}</row>", *("<row>" + body + "</row>").tolist()]


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """Write `sheets` (name -> table, in order) to an XLSX file at `path`."""
    names = list(sheets)
    for name in names:
        if not _SHEET_NAME.match(name):
            raise ValueError(
                f"Sheet name {name!r} is not valid in Excel (1-31 characters, no []:*?/\\)."
            )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_list = "".join(
        f'<sheet name="{_escape(pd.Series([n])).iloc[0]}" sheetId="{i}" r:id="rId{i}"/>'
        for i, n in enumerate(names, 1)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>{sheet_list}</sheets></workbook>'
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + f'<Relationship Id="rId{len(names) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", root_rels)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        package.writestr("xl/styles.xml", _STYLES)
        for i, name in enumerate(names, 1):
            table = sheets[name]
            with package.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as sheet:
                sheet.write(
                    (
                        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f'<worksheet xmlns="{_NS}"><sheetViews><sheetView workbookViewId="0">'
                        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                        "</sheetView></sheetViews><sheetData>"
                    ).encode()
                )
                rows = sheet_rows(table)
                for start in range(0, len(rows), 20000):
                    sheet.write("\n".join(rows[start : start + 20000]).encode("utf-8"))
                sheet.write(b"</sheetData></worksheet>")
