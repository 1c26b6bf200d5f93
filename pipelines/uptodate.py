"""Whether a build would write what the store already holds, so that it can write nothing.

A build's output is decided by its responses and by everything else it reads: the code, the
indicator catalogue and region, the service URLs and Amsterdam's ``geldigOp`` date, what the
services offer today (the CBS catalog, 81734NED's periods) and the plan (sources, years,
harmonisation). The last build stores a digest of the latter (`build_info`) and every response
it used (`sources`: URL and sha256). A rebuild is **up to date** when its digest is the same,
the store holds no fetch failures to retry, and every response of the store's `sources` is in
the response cache with the same sha256: the sources would then read exactly the same bytes.
Only a build without ``--force`` asks; ``--force`` refetches and rewrites.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from geodata.config import PROJECT_DIR, Settings
from geodata.store import Store
from pipelines.editions import Offers

#: The files whose content decides what a build writes (code, catalogue, region, lists).
INPUT_FILES = ("pipelines/*.py", "geodata/*.py", "geodata/*.toml", "geodata/*.csv")


def code_digest(root: Path = PROJECT_DIR) -> str:
    """sha256 over the project's build code and data files (names and contents)."""
    digest = hashlib.sha256()
    for pattern in INPUT_FILES:
        for path in sorted(root.glob(pattern)):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def plan_text(plan: Sequence[tuple[str, Sequence[int]]]) -> str:
    """The plan in a line: ``kwb 2015-2025; flows 2011-2024; amsterdam -``."""
    parts = []
    for name, years in plan:
        ordered = sorted(years)
        whole = bool(ordered) and ordered == list(range(ordered[0], ordered[-1] + 1))
        span = f"{ordered[0]}-{ordered[-1]}" if whole else ",".join(map(str, ordered)) or "-"
        parts.append(f"{name} {span}")
    return "; ".join(parts)


def inputs_digest(
    settings: Settings,
    offers: Offers,
    plan: Sequence[tuple[str, Sequence[int]]],
    harmonisation: tuple[bool, int | None],
    extra: str = "",
    code: str | None = None,
) -> str:
    """sha256 of everything besides the responses that decides what a build writes (the API
    key itself is left out; only whether one is set). `extra`: the region and catalogue as
    the build was given them (tests pass their own)."""
    described = {
        "code": code or code_digest(),
        "extra": extra,
        "services": [settings.cbs_odata_url, settings.pdok_url, settings.amsterdam_api_url],
        "geldig_op": settings.geldig_op.isoformat(),
        "api_key": settings.amsterdam_api_key is not None,
        "offers": [list(row) for row in offers.rows()],
        "flow_years": list(offers.flow_years),
        "plan": plan_text(plan),
        "harmonisation": list(harmonisation),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def unchanged(
    stored_digest: str | None,
    digest: str,
    sources: pd.DataFrame,
    failed: int,
    cached_sha256: Callable[[str], str | None],
) -> bool:
    """True when a build with `digest` would write what the store holds: the same inputs,
    no fetch failure to retry (`failed`), and every stored response (`sources`: url, sha256,
    status) in the cache with the same content."""
    if stored_digest != digest or failed or sources.empty:
        return False
    if (sources["status"] != "ok").any() or sources["url"].isna().any():
        return False
    return all(
        cached_sha256(str(url)) == sha
        for url, sha in zip(sources["url"], sources["sha256"], strict=True)
    )


def store_is_current(
    target: Store, digest: str, cached_sha256: Callable[[str], str | None]
) -> bool:
    """`unchanged` for the store as it is (False for an empty or older store)."""
    if not target.has_data():
        return False
    info = target.table("build_info")
    stored = str(info["inputs_digest"].iloc[-1]) if len(info) else None
    if stored != digest:
        return False  # without reading the larger tables
    failed = len(target.table("indicator_sources", {"status": "fetch_failed"}))
    return unchanged(stored, digest, target.table("sources"), failed, cached_sha256)


def build_info(digest: str, plan: Sequence[tuple[str, Sequence[int]]]) -> pd.DataFrame:
    """The `build_info` row of a build that finishes now."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return pd.DataFrame({"built_at": [now], "inputs_digest": [digest], "plan": [plan_text(plan)]})
