"""Settings from the environment and the region definition from `region.toml`.

Environment variables (all optional):

- ``CBS_ODATA_URL``: CBS StatLine OData v3 root, default ``https://opendata.cbs.nl``
- ``PDOK_URL``: PDOK root, default ``https://service.pdok.nl``
- ``AMSTERDAM_API_URL``: Amsterdam DSO API root, default ``https://api.data.amsterdam.nl``
- ``GEODATA_STORE``: the store: a GeoPackage path (default ``geodata/store.gpkg``) or a
  PostGIS URL ``postgresql://user@host:port/db?schema=armoede``
- ``GEODATA_CACHE_DIR``: raw response cache, default ``geodata/cache/``
- ``MIRROR_DIR``: local mirror used when the live services are unreachable,
  default ``../shared/mirror``
- ``AMSTERDAM_API_KEY``: sent as ``X-Api-Key`` to the Amsterdam API when set (never stored)
- ``AMSTERDAM_GELDIG_OP``: the date (``YYYY-MM-DD``) for which Amsterdam's areas are asked
  (``geldigOp``), default today
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geodata.errors import ConfigError

if TYPE_CHECKING:
    from geodata.store import Store

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
REGION_FILE = PACKAGE_DIR / "region.toml"

DEFAULT_CBS_ODATA_URL = "https://opendata.cbs.nl"
DEFAULT_PDOK_URL = "https://service.pdok.nl"
DEFAULT_AMSTERDAM_API_URL = "https://api.data.amsterdam.nl"


@dataclass(frozen=True)
class Settings:
    """Where the services are and where the store and cache live."""

    cbs_odata_url: str = DEFAULT_CBS_ODATA_URL
    pdok_url: str = DEFAULT_PDOK_URL
    amsterdam_api_url: str = DEFAULT_AMSTERDAM_API_URL
    store: str = str(PACKAGE_DIR / "store.gpkg")
    cache_dir: Path = PACKAGE_DIR / "cache"
    mirror_dir: Path = PROJECT_DIR.parent / "shared" / "mirror"
    amsterdam_api_key: str | None = field(default=None, repr=False)
    amsterdam_geldig_op: dt.date | None = None

    def open_store(self) -> Store:
        """The configured store (a GeoPackage, or PostGIS for a postgresql:// URL)."""
        from geodata.backends import open_store

        return open_store(self.store)

    @property
    def geldig_op(self) -> dt.date:
        """The date for which Amsterdam's areas are asked: the configured one, or today."""
        return self.amsterdam_geldig_op or dt.date.today()

    @property
    def uses_default_hosts(self) -> bool:
        """True when all three services point at the live hosts."""
        return (
            self.cbs_odata_url == DEFAULT_CBS_ODATA_URL
            and self.pdok_url == DEFAULT_PDOK_URL
            and self.amsterdam_api_url == DEFAULT_AMSTERDAM_API_URL
        )


def _path_from_env(env: dict[str, str], name: str, default: Path) -> Path:
    value = env.get(name)
    if not value:
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path)


def _store_from_env(env: dict[str, str]) -> str:
    """A PostGIS URL as it is, or a GeoPackage path made absolute."""
    value = (env.get("GEODATA_STORE") or "").strip()
    if value.startswith(("postgresql://", "postgres://")):
        return value
    return str(_path_from_env(env, "GEODATA_STORE", PACKAGE_DIR / "store.gpkg"))


def _url_from_env(env: dict[str, str], name: str, default: str) -> str:
    value = (env.get(name) or default).strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ConfigError(
            f"{name}={value!r} is not an http(s) URL. "
            f"Set it to a service root such as {default!r} or http://127.0.0.1:8765/cbs."
        )
    return value


def _date_from_env(env: dict[str, str], name: str) -> dt.date | None:
    value = (env.get(name) or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ConfigError(
            f"{name}={value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-01-01."
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(
            f"{name}={value!r} is not a valid date ({exc}); write YYYY-MM-DD."
        ) from exc


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Read the settings from environment variables (see the module docstring)."""
    env = dict(os.environ if env is None else env)
    return Settings(
        cbs_odata_url=_url_from_env(env, "CBS_ODATA_URL", DEFAULT_CBS_ODATA_URL),
        pdok_url=_url_from_env(env, "PDOK_URL", DEFAULT_PDOK_URL),
        amsterdam_api_url=_url_from_env(env, "AMSTERDAM_API_URL", DEFAULT_AMSTERDAM_API_URL),
        store=_store_from_env(env),
        cache_dir=_path_from_env(env, "GEODATA_CACHE_DIR", PACKAGE_DIR / "cache"),
        mirror_dir=_path_from_env(env, "MIRROR_DIR", PROJECT_DIR.parent / "shared" / "mirror"),
        amsterdam_api_key=(env.get("AMSTERDAM_API_KEY") or "").strip() or None,
        amsterdam_geldig_op=_date_from_env(env, "AMSTERDAM_GELDIG_OP"),
    )


@dataclass(frozen=True)
class Gemeente:
    """A municipality of the region, or one that merged into it."""

    code: str
    name: str
    merged_into: str | None = None
    merge_date: dt.date | None = None

    def in_kwb_year(self, year: int) -> bool:
        """Whether this municipality has its own rows in the KWB edition of `year`.

        A KWB edition uses the division of 1 January of its year.
        """
        return self.merge_date is None or dt.date(year, 1, 1) < self.merge_date

    def in_flow_year(self, year: int) -> bool:
        """Whether CBS 81734NED counts moves for this municipality in calendar `year`."""
        return self.merge_date is None or year < self.merge_date.year


@dataclass(frozen=True)
class Region:
    """The study region: municipalities, merged predecessors and year ranges."""

    name_nl: str
    name_en: str
    core: str
    #: First and (optionally) last KWB edition; no last means the newest CBS has published.
    kwb_years: tuple[int, int | None]
    #: First and (optionally) last calendar year of 81734NED; no last means its newest period.
    flow_years: tuple[int, int | None]
    gemeenten: tuple[Gemeente, ...]
    merged: tuple[Gemeente, ...] = field(default_factory=tuple)
    highlight: tuple[str, ...] = field(default_factory=tuple)

    @property
    def all_gemeenten(self) -> tuple[Gemeente, ...]:
        """Current municipalities followed by the merged ones."""
        return self.gemeenten + self.merged

    @property
    def codes(self) -> tuple[str, ...]:
        """Codes of the current municipalities."""
        return tuple(g.code for g in self.gemeenten)

    @property
    def all_codes(self) -> tuple[str, ...]:
        """Codes of current and merged municipalities."""
        return tuple(g.code for g in self.all_gemeenten)

    def kwb_years_within(self, offered: Iterable[int]) -> list[int]:
        """The offered KWB editions within the configured range (all later ones when open)."""
        return _within(self.kwb_years, offered)

    def flow_years_within(self, offered: Iterable[int]) -> list[int]:
        """The offered 81734NED years within the configured range."""
        return _within(self.flow_years, offered)

    def gemeenten_in_kwb_year(self, year: int) -> tuple[Gemeente, ...]:
        return tuple(g for g in self.all_gemeenten if g.in_kwb_year(year))

    def gemeente(self, code: str) -> Gemeente:
        for g in self.all_gemeenten:
            if g.code == code:
                return g
        raise ConfigError(
            f"Unknown municipality code {code!r}: it is not in {REGION_FILE.name}. "
            f"Use one of {', '.join(self.all_codes)}, or add it to {REGION_FILE}."
        )

    def successor(self, code: str) -> str:
        """The current municipality a (possibly merged) municipality belongs to now."""
        g = self.gemeente(code)
        return g.merged_into or g.code


def _within(span: tuple[int, int | None], offered: Iterable[int]) -> list[int]:
    first, last = span
    return sorted({y for y in offered if y >= first and (last is None or y <= last)})


def _years(value: object, key: str, path: Path) -> tuple[int, int | None]:
    """``[first]`` (every later year the service offers) or ``[first, last]``."""
    if (
        not isinstance(value, list)
        or len(value) not in (1, 2)
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or value[0] > value[-1]
    ):
        raise ConfigError(
            f"{path}: [region] {key} = {value!r}; expected [first] (every later edition the "
            "service offers, e.g. [2015]) or [first, last] (e.g. [2015, 2024])."
        )
    return (value[0], value[1] if len(value) == 2 else None)


def _check_code(code: object, path: Path) -> str:
    if (
        not isinstance(code, str)
        or len(code) != 6
        or not code.startswith("GM")
        or not code[2:].isdigit()
    ):
        raise ConfigError(f"{path}: municipality code {code!r} is not a CBS code like 'GM0363'.")
    return code


def load_region(path: Path = REGION_FILE) -> Region:
    """Load and validate the region definition."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"Cannot read the region file {path}: {exc}. Fix the file and retry."
        ) from exc
    try:
        head = raw["region"]
        gemeenten = tuple(
            Gemeente(code=_check_code(g["code"], path), name=str(g["name"]))
            for g in raw["gemeenten"]
        )
        merged = tuple(
            Gemeente(
                code=_check_code(m["code"], path),
                name=str(m["name"]),
                merged_into=_check_code(m["into"], path),
                merge_date=m["date"],
            )
            for m in raw.get("merged", [])
        )
        region = Region(
            name_nl=head["name_nl"],
            name_en=head["name_en"],
            core=_check_code(head["core"], path),
            kwb_years=_years(head["kwb_years"], "kwb_years", path),
            flow_years=_years(head["flow_years"], "flow_years", path),
            gemeenten=gemeenten,
            merged=merged,
            highlight=tuple(head.get("highlight", [])),
        )
    except KeyError as exc:
        raise ConfigError(f"{path}: missing field {exc}. See the comments in the file.") from exc
    codes = [g.code for g in region.gemeenten]
    for m in region.merged:
        if m.merged_into not in codes:
            raise ConfigError(
                f"{path}: {m.code} merges into {m.merged_into}, which is not a region municipality."
            )
        if not isinstance(m.merge_date, dt.date):
            raise ConfigError(f"{path}: merge date of {m.code} must be a date like 2022-03-24.")
    if region.core not in codes:
        raise ConfigError(f"{path}: core {region.core} is not one of the municipalities.")
    return region
