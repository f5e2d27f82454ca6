"""Realistic, seeded demo questionnaires, so a newcomer lands on a full dashboard at once.

Every organisation is fictional (fictional countries too), so nothing here reads as a
claim about a real society. Each one follows a *story*: a latent capacity per dimension
over time (on track for the roadmap, leading, moderately improving, stagnating, or the
one that is decreasing). Respondents' levels scatter around the latent level,
self-assessments a little above it and evaluators a little below, so the consolidated
scores, spread flags and self-vs-evaluator gaps look like real data.

The generator is deterministic: the same seed (and the same `today`) gives the same
submissions and byte-identical files, so the committed `assessments/demo/` only changes
when the generator does. Each organisation draws from its own random stream, so asking
for more organisations (benchmarks) keeps the first ones unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import random
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, TypeVar

from capacity.access import SYSTEM, Actor
from capacity.framework import Framework, current_framework
from capacity.questionnaire import layout
from capacity.questionnaire.submission import Answer, Submission
from capacity.questionnaire.template import build_template
from capacity.roadmap import current_roadmap
from capacity.scoring import score_assessment, trends_for
from capacity.scoring.results import DECREASING as TREND_DECREASING
from capacity.scoring.results import INDEX, MODERATELY_IMPROVING, TREND_ON_TRACK
from capacity.scoring.results import STAGNATING as TREND_STAGNATING

if TYPE_CHECKING:  # the storage layer is imported only when storing, so generating stays light
    from capacity.questionnaire.reader import ReadResult
    from capacity.store.db import Store
    from capacity.store.ingest import IngestOutcome

T = TypeVar("T")

DEFAULT_SEED = 2053
ORGANISATIONS_PER_SCALE = 28
ROUND_YEARS = (2015, 2019, 2023)  # and the current year

# Stories: how an organisation's latent capacity moves between rounds.
LEADING = "leading"
ON_TRACK = "on track"
MODERATE = "moderately improving"
STAGNATING = "stagnating"
DECREASING = "decreasing"
STORIES = (LEADING, ON_TRACK, MODERATE, STAGNATING, DECREASING)
# The index trend arrow each story must show (leaders are on track too, just further ahead).
STORY_ARROWS = {
    LEADING: TREND_ON_TRACK,
    ON_TRACK: TREND_ON_TRACK,
    MODERATE: MODERATELY_IMPROVING,
    STAGNATING: TREND_STAGNATING,
    DECREASING: TREND_DECREASING,
}
STORY_ATTEMPTS = 8

EUROPE = "Europe"
MENA = "Middle East and North Africa"
AFRICA = "Sub-Saharan Africa"
ASIA_PACIFIC = "Asia-Pacific"
AMERICAS = "Americas"
CENTRAL_ASIA = "Central Asia"
FAR_FROM_EUROPE = frozenset({ASIA_PACIFIC, AMERICAS})  # EU engagement (II.3) rarely applies there

# Fictional countries: code → (name, region).
COUNTRIES: dict[str, tuple[str, str]] = {
    "BOR": ("Borovia", EUROPE),
    "VEL": ("Veldmark", EUROPE),
    "KRV": ("Karavel", EUROPE),
    "AST": ("Asteria", MENA),
    "QAL": ("Qaliran", MENA),
    "CAL": ("Calderra", AFRICA),
    "OMB": ("Ombara", AFRICA),
    "ZEN": ("Zenthia", AFRICA),
    "MAR": ("Marindo", ASIA_PACIFIC),
    "TAV": ("Tavessa", ASIA_PACIFIC),
    "KIR": ("Kiroshan", ASIA_PACIFIC),
    "VAL": ("Valdoria", AMERICAS),
    "NOR": ("Norhaven", AMERICAS),
    "CSE": ("Costa Serena", AMERICAS),
    "UST": ("Ustara", CENTRAL_ASIA),
    "KYR": ("Kyremia", CENTRAL_ASIA),
}

TYPE_PREFIX = {
    "national_society": "NS",
    "ngo": "NGO",
    "foundation": "FDN",
    "government": "GOV",
    "international": "INT",
    "academic": "ACA",
    "media": "MED",
    "other": "OTH",
}

# Indicators that a type of organisation would honestly mark N/A.
NOT_APPLICABLE_BY_TYPE: dict[str, frozenset[str]] = {
    "media": frozenset({"IL.4", "IL.5"}),  # no detention visits or tracing for a newsroom
    "academic": frozenset({"IL.4"}),
}
EU_ENGAGEMENT = "II.3"

# Where each type of organisation is stronger or weaker than its overall capacity (points).
TYPE_PROFILES: dict[str, dict[str, float]] = {
    "national_society": {"IC": 0, "IL": 6, "II": 4, "TM": 0, "SM": -3, "SD": 3},
    "ngo": {"IC": 0, "IL": -2, "II": -4, "TM": 1, "SM": 3, "SD": 5},
    "foundation": {"IC": 2, "IL": -5, "II": -2, "TM": 0, "SM": 1, "SD": 6},
    "government": {"IC": 4, "IL": 3, "II": 2, "TM": -2, "SM": -6, "SD": 0},
    "international": {"IC": 0, "IL": 4, "II": 8, "TM": -4, "SM": -4, "SD": 2},
    "academic": {"IC": -1, "IL": 6, "II": 3, "TM": -3, "SM": -2, "SD": -5},
    "media": {"IC": 0, "IL": -8, "II": -6, "TM": 10, "SM": 8, "SD": -4},
    "other": {"IC": 0, "IL": 0, "II": 0, "TM": 0, "SM": 0, "SD": 0},
}

# Self-assessments sit about half a level above the evaluator's levels. The latent capacity
# is what the consolidated level of record tracks, so with an evaluator (whose level is the
# score of record) the split is +0.35 / -0.15, and without one the self-assessments sit only
# +0.1 above it: the story then is not bent by which rounds happened to be evaluated.
SELF_INFLATION_REVIEWED, EVALUATOR_STRICTNESS, SELF_INFLATION_ALONE = 0.35, 0.15, 0.1
SELF_NOISE, EVALUATOR_NOISE, PERSONAL_BIAS = 0.42, 0.3, 0.05  # in levels
EVALUATOR_SHARE = 1 / 3
RESPONDENT_COUNTS = ((1, 0.2), (2, 0.35), (3, 0.3), (4, 0.15))
EVIDENCE_CHANCE = (0.0, 0.45, 0.7, 0.88, 0.93, 0.97)  # by level: higher levels usually cite evidence
LINK_CHANCE = 0.07
THOROUGH_SELF_SHARE, THOROUGH_EVALUATOR_SHARE = 0.12, 0.6  # respondents who document every level


@dataclass(frozen=True)
class DemoOrganisation:
    """A fictional organisation and the story its rounds will tell."""

    organisation_id: str
    name: str
    organisation_type: str  # a key of layout.ORGANISATION_TYPES
    country: str
    region: str
    language: str
    story: str  # one of STORIES
    first_year: int  # the round it joined
    skipped_year: int | None = None  # a middle round it missed

    @property
    def country_code(self) -> str:
        return self.organisation_id.split("-")[1]


@dataclass(frozen=True)
class DemoQuestionnaire:
    """One generated questionnaire and where it goes under the demo directory."""

    path: PurePosixPath  # <organisation_id>/<year>-<role>-<n>.xlsx
    submission: Submission


def _org(
    code: str,
    name: str,
    kind: str,
    country: str,
    lang: str,
    story: str,
    first: int = 2015,
    skipped: int | None = None,
) -> DemoOrganisation:
    country_name, region = COUNTRIES[country]
    return DemoOrganisation(code, name, kind, country_name, region, lang, story, first, skipped)


# The hand-written cast of the default demo (28 organisations, every type, six regions).
CURATED: tuple[DemoOrganisation, ...] = (
    _org("NS-AST-01", "Asteria Red Crescent Society", "national_society", "AST", "en", LEADING),
    _org("NS-BOR-01", "Borovian Red Cross", "national_society", "BOR", "en", ON_TRACK),
    _org("NS-CAL-01", "Calderra Red Cross Society", "national_society", "CAL", "en", STAGNATING),
    _org("NS-MAR-01", "Marindo Red Cross", "national_society", "MAR", "en", ON_TRACK, skipped=2019),
    _org("NS-KRV-01", "Karavel Kızılay Derneği", "national_society", "KRV", "tr", ON_TRACK),
    _org("NS-VAL-01", "Valdorian Red Cross", "national_society", "VAL", "en", MODERATE),
    _org("NS-ZEN-01", "Zenthia Red Crescent", "national_society", "ZEN", "en", STAGNATING),
    _org("NS-UST-01", "Ustara Kızılay Cemiyeti", "national_society", "UST", "tr", MODERATE, first=2019),
    _org("NGO-QAL-01", "Crescent Valley Humanitarian Society", "ngo", "QAL", "en", ON_TRACK),
    _org("NGO-OMB-01", "Open Hands Ombara", "ngo", "OMB", "en", STAGNATING, skipped=2023),
    _org("NGO-TAV-01", "Tavessa Coast Relief Network", "ngo", "TAV", "en", MODERATE, skipped=2019),
    _org("NGO-NOR-01", "Lanterns for Civilians Norhaven", "ngo", "NOR", "en", MODERATE, first=2019),
    _org("NGO-KYR-01", "Steppe Bridge Aid Collective", "ngo", "KYR", "en", MODERATE),
    _org("FDN-NOR-01", "Northwind Relief Foundation", "foundation", "NOR", "en", LEADING),
    _org("FDN-KRV-01", "Yeşil Vadi Dayanışma Vakfı", "foundation", "KRV", "tr", STAGNATING),
    _org(
        "FDN-VEL-01",
        "Veldmark Foundation for Dialogue and Relief",
        "foundation",
        "VEL",
        "en",
        ON_TRACK,
        first=2019,
    ),
    _org("FDN-CSE-01", "Costa Serena Mercy Trust", "foundation", "CSE", "en", DECREASING),
    _org(
        "GOV-AST-01",
        "Republic of Asteria — Office of Humanitarian Affairs",
        "government",
        "AST",
        "en",
        MODERATE,
    ),
    _org(
        "GOV-BOR-01",
        "Borovia Ministry of Civil Protection — Humanitarian Desk",
        "government",
        "BOR",
        "en",
        STAGNATING,
    ),
    _org(
        "GOV-KIR-01",
        "Kiroshan Directorate for Humanitarian Coordination",
        "government",
        "KIR",
        "en",
        ON_TRACK,
        skipped=2019,
    ),
    _org("INT-VEL-01", "Tri-Regional Humanitarian Dialogue Centre", "international", "VEL", "en", ON_TRACK),
    _org(
        "INT-CAL-01",
        "Southern Rivers Humanitarian Compact Secretariat",
        "international",
        "CAL",
        "en",
        MODERATE,
    ),
    _org(
        "INT-MAR-01",
        "Archipelago Humanitarian Alliance Secretariat",
        "international",
        "MAR",
        "en",
        ON_TRACK,
        first=2023,
    ),
    _org(
        "ACA-VAL-01",
        "Institute for Humanitarian Negotiation Studies, University of Valdoria",
        "academic",
        "VAL",
        "en",
        STAGNATING,
    ),
    _org(
        "ACA-QAL-01",
        "Qaliran Centre for Humanitarian Law and Policy",
        "academic",
        "QAL",
        "en",
        ON_TRACK,
        first=2023,
    ),
    _org("MED-ZEN-01", "Zenthia Public Broadcasting — Humanitarian Desk", "media", "ZEN", "en", MODERATE),
    _org("MED-TAV-01", "Silverline Humanitarian News Agency", "media", "TAV", "en", STAGNATING, skipped=2023),
    _org("OTH-OMB-01", "Ombara Interfaith Peace Council", "other", "OMB", "en", STAGNATING, skipped=2019),
)

# ------------------------------------------------------------------ names
_NAME_ADJECTIVES = {
    "en": (
        "Silver",
        "Northern",
        "Riverside",
        "Evergreen",
        "Highland",
        "Bright",
        "Harbour",
        "Cedar",
        "Meridian",
        "Open",
        "Blue",
        "Golden",
        "Quiet",
        "Amber",
        "Stone",
        "Horizon",
        "Willow",
        "Coral",
        "Summit",
        "Eastern",
        "Western",
        "Lantern",
        "Morning",
        "Ivory",
    ),
    "tr": (
        "Gümüş",
        "Kuzey",
        "Yeşil",
        "Mavi",
        "Altın",
        "Sessiz",
        "Işıklı",
        "Yüksek",
        "Doğu",
        "Batı",
        "Güney",
        "Berrak",
        "Sabah",
        "Akdeniz",
        "Bozkır",
        "Sedir",
    ),
}
_NAME_NOUNS = {
    "en": (
        "Bridge",
        "Valley",
        "Hands",
        "Compass",
        "Shelter",
        "Harvest",
        "Path",
        "Beacon",
        "Spring",
        "Crossing",
        "Haven",
        "Circle",
        "Rivers",
        "Meadow",
        "Harbour Light",
        "Steppe",
        "Coast",
        "Orchard",
        "Gate",
        "Lakes",
    ),
    "tr": (
        "Vadi",
        "Köprü",
        "Liman",
        "Pınar",
        "Ufuk",
        "Çınar",
        "Fener",
        "Yol",
        "Kıyı",
        "Ova",
        "Dere",
        "Yayla",
    ),
}
_NAME_PATTERNS = {
    "en": {
        "national_society": "{place} Red Cross Society",
        "ngo": "{place} Aid Network",
        "foundation": "{place} Foundation",
        "government": "Office of Humanitarian Affairs, {place} Province",
        "international": "{place} Humanitarian Compact Secretariat",
        "academic": "{place} Institute for Humanitarian Studies",
        "media": "{place} News Agency",
        "other": "{place} Peace Council",
    },
    "tr": {
        "national_society": "{place} Kızılay Derneği",
        "ngo": "{place} Yardım Ağı",
        "foundation": "{place} Vakfı",
        "government": "{place} İli İnsani İşler Müdürlüğü",
        "international": "{place} İnsani İşbirliği Sekreteryası",
        "academic": "{place} İnsani Çalışmalar Enstitüsü",
        "media": "{place} Haber Ajansı",
        "other": "{place} Barış Konseyi",
    },
}
_TYPE_SHARES = (
    ("national_society", 8.0),
    ("ngo", 5.0),
    ("foundation", 4.0),
    ("government", 3.0),
    ("international", 3.0),
    ("academic", 2.0),
    ("media", 2.0),
    ("other", 1.0),
)
_STORY_SHARES = ((LEADING, 0.07), (ON_TRACK, 0.28), (MODERATE, 0.28), (STAGNATING, 0.33), (DECREASING, 0.04))

_FIRST_NAMES = {
    "en": (
        "Amara",
        "Lucas",
        "Noor",
        "Tomas",
        "Leila",
        "Kofi",
        "Ines",
        "Ravi",
        "Mei",
        "Jonas",
        "Sofia",
        "Daniel",
        "Aiko",
        "Mateo",
        "Zainab",
        "Elena",
        "Samuel",
        "Hana",
        "Omar",
        "Priya",
        "Viktor",
        "Lina",
        "Felix",
        "Nadia",
        "Tariq",
        "Clara",
        "Joseph",
        "Yara",
        "Andrei",
        "Beatriz",
    ),
    "tr": (
        "Ayşe",
        "Mehmet",
        "Elif",
        "Emre",
        "Zeynep",
        "Can",
        "Fatma",
        "Burak",
        "Selin",
        "Oğuz",
        "Deniz",
        "Hakan",
        "Merve",
        "Kerem",
        "Esra",
        "Tolga",
        "Gül",
        "Serkan",
    ),
}
_LAST_NAMES = {
    "en": (
        "Okafor",
        "Lindqvist",
        "Haddad",
        "Moreau",
        "Banda",
        "Castillo",
        "Tanaka",
        "Novak",
        "Mensah",
        "Ferreira",
        "Rahman",
        "Kovacs",
        "Santos",
        "Nguyen",
        "Petrov",
        "Adeyemi",
        "Marin",
        "Sato",
        "Abbas",
        "Keller",
        "Osei",
        "Duarte",
        "Ivanova",
        "Farah",
    ),
    "tr": (
        "Yılmaz",
        "Kaya",
        "Demir",
        "Şahin",
        "Çelik",
        "Aydın",
        "Öztürk",
        "Arslan",
        "Doğan",
        "Kılıç",
        "Aslan",
        "Erdem",
        "Koç",
        "Kurt",
        "Özdemir",
        "Polat",
    ),
}


def _weighted(rng: random.Random, choices: Sequence[tuple[T, float]]) -> T:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def _synthetic_organisations(seed: int, count: int) -> Iterator[DemoOrganisation]:
    """Further fictional organisations for large demos and benchmarks, drawn from name parts."""
    rng = random.Random(f"{seed}:synthetic")
    numbers: dict[tuple[str, str], int] = {}
    for org in CURATED:
        key = (TYPE_PREFIX[org.organisation_type], org.country_code)
        numbers[key] = numbers.get(key, 0) + 1
    used_names = {org.name for org in CURATED}
    countries = sorted(COUNTRIES)
    for _ in range(count):
        kind = _weighted(rng, _TYPE_SHARES)
        country = rng.choice(countries)
        lang = "tr" if rng.random() < 0.1 else "en"
        name = ""
        for attempt in range(1000):
            place = f"{rng.choice(_NAME_ADJECTIVES[lang])} {rng.choice(_NAME_NOUNS[lang])}"
            name = _NAME_PATTERNS[lang][kind].format(place=place)
            if attempt > 20:
                name += f" {attempt}"
            if name not in used_names:
                break
        used_names.add(name)
        key = (TYPE_PREFIX[kind], country)
        numbers[key] = numbers.get(key, 0) + 1
        story = _weighted(rng, _STORY_SHARES)
        first = _weighted(rng, ((2015, 0.75), (2019, 0.15), (2023, 0.10)))
        if story in (STAGNATING, DECREASING):
            first = 2015  # a flat or falling line needs the long view to show
        elif story == MODERATE and first == 2023:
            first = 2019  # over three years, moderate progress drowns in the respondents' noise
        skipped = rng.choice((2019, 2023)) if first == 2015 and rng.random() < 0.15 else None
        yield _org(f"{key[0]}-{country}-{numbers[key]:02d}", name, kind, country, lang, story, first, skipped)


def demo_organisations(
    seed: int = DEFAULT_SEED, count: int = ORGANISATIONS_PER_SCALE
) -> list[DemoOrganisation]:
    """The first `count` demo organisations: the curated cast, then synthetic ones."""
    if count < 0:
        raise ValueError(f"count must be 0 or more, got {count}")
    curated = list(CURATED[:count])
    return curated + list(_synthetic_organisations(seed, count - len(curated)))


def round_years(today: dt.date) -> tuple[int, ...]:
    """The assessment rounds: 2015, 2019, 2023 and the current year."""
    return tuple(sorted({*ROUND_YEARS, today.year}))


# ------------------------------------------------------------------ latent capacity
def _piecewise(knots: dict[int, float], after: float, year: int) -> float:
    """Linear between the knots, then `after` points a year beyond the last one."""
    years = sorted(knots)
    if year >= years[-1]:
        return knots[years[-1]] + after * (year - years[-1])
    for start, end in itertools.pairwise(years):
        if start <= year <= end:
            return knots[start] + (knots[end] - knots[start]) * (year - start) / (end - start)
    return knots[years[0]]


def _index_path(story: str, years: tuple[int, ...], rng: random.Random) -> dict[int, float]:
    """The organisation's latent index (0–100) in each round year, following its story."""
    if story == LEADING:
        knots = {2015: rng.uniform(46, 52), 2023: rng.uniform(70, 74)}
        after, cap = rng.uniform(1.0, 1.5), 86.0
    elif story == ON_TRACK:
        start, mid = rng.uniform(20, 28), rng.uniform(60, 64)
        knots = {2015: start, 2019: (start + mid) / 2 + rng.uniform(-2, 2), 2023: mid}
        after, cap = rng.uniform(1.2, 2.0), 84.0
    elif story == DECREASING:
        start = rng.uniform(46, 50)
        knots, after, cap = {2015: start, 2019: start + 3, 2023: start - 8}, -2.5, 100.0
    else:
        start = rng.uniform(24, 32) if story == MODERATE else rng.uniform(28, 42)
        # The share of the required pace sits mid-way in the arrow's band (0.5–1 or 0–0.5).
        share = rng.uniform(0.7, 0.8) if story == MODERATE else rng.uniform(0.23, 0.27)
        rate = share * (90 - start) / (2053 - 2015)
        wobble = 1.5 if story == MODERATE else 3.0
        knots = {
            2015: start,
            2019: start + 4 * rate + rng.uniform(-wobble, wobble),
            2023: start + 8 * rate + rng.uniform(-wobble, wobble),
        }
        return {year: knots.get(year, start + rate * (year - 2015)) for year in years}
    return {year: min(cap, _piecewise(knots, after, year)) for year in years}


def _centred(values: dict[str, float]) -> dict[str, float]:
    mean = sum(values.values()) / len(values)
    return {key: value - mean for key, value in values.items()}


def _latent_capacity(
    org: DemoOrganisation, framework: Framework, years: tuple[int, ...], rng: random.Random
) -> dict[int, dict[str, float]]:
    """The organisation's latent level (0–5, continuous) per round year and indicator."""
    path = _index_path(org.story, years, rng)
    profile = TYPE_PROFILES[org.organisation_type]
    offsets = _centred({d.code: profile[d.code] + rng.gauss(0, 4) for d in framework.dimensions})
    slopes = _centred({d.code: rng.gauss(0, 3) for d in framework.dimensions})  # points per decade
    indicator_offsets: dict[str, float] = {}
    for dim in framework.dimensions:
        indicator_offsets.update(_centred({ind.code: rng.gauss(0, 0.45) for ind in dim.indicators}))
    capacity: dict[int, dict[str, float]] = {}
    for year in years:
        levels = {}
        for dim in framework.dimensions:
            score = path[year] + offsets[dim.code] + slopes[dim.code] * (year - 2015) / 10
            for ind in dim.indicators:
                latent = score / 20 + indicator_offsets[ind.code] + rng.gauss(0, 0.15)
                levels[ind.code] = min(5.0, max(0.0, latent))
        capacity[year] = levels
    return capacity


def _levels(targets: dict[str, float]) -> dict[str, int]:
    """Whole levels 0–5 for one respondent's continuous targets in one dimension.

    Largest-remainder rounding keeps the levels' sum at the targets' rounded sum, so a
    respondent's dimension mean follows the latent capacity instead of the rounding luck
    of six indicators; otherwise a stagnating organisation could look as if it moved.
    """
    floors = {code: math.floor(value) for code, value in targets.items()}
    missing = round(sum(targets.values())) - sum(floors.values())
    by_remainder = sorted(targets, key=lambda code: floors[code] - targets[code])
    raised = set(by_remainder[: max(0, missing)])
    return {code: min(5, max(0, floors[code] + (code in raised))) for code in targets}


# ------------------------------------------------------------------ evidence notes
_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "tr": (
        "Ocak",
        "Şubat",
        "Mart",
        "Nisan",
        "Mayıs",
        "Haziran",
        "Temmuz",
        "Ağustos",
        "Eylül",
        "Ekim",
        "Kasım",
        "Aralık",
    ),
}
# What a respondent adds after naming the documents, by level (index 1–5; level 0 cites nothing).
_QUALIFIERS = {
    "en": (
        (),
        (
            "practice depends on a few people",
            "otherwise only informal notes and emails",
            "nothing approved so far",
            "never adopted",
        ),
        (
            "applied in some units only",
            "not updated since",
            "not yet followed consistently",
            "covers headquarters only",
        ),
        (
            "approved and in routine use",
            "updated every year",
            "applied across all units",
            "owner named in the annual plan",
        ),
        (
            "reviewed against indicators twice a year",
            "results measured and reported to the board",
            "revised after the mid-term review",
            "external audit in {year}",
        ),
        (
            "cited as a model by peer organisations",
            "adapted by partners in our network",
            "requested by other agencies as a reference",
            "presented at the regional peer conference {year}",
        ),
    ),
    "tr": (
        (),
        (
            "uygulama birkaç kişiye bağlı",
            "bunun dışında yalnızca gayriresmî notlar ve e-postalar",
            "henüz onaylı bir şey yok",
            "benimsenmedi",
        ),
        (
            "yalnızca bazı birimlerde uygulanıyor",
            "o tarihten beri güncellenmedi",
            "henüz tutarlı biçimde izlenmiyor",
            "yalnızca genel merkezi kapsıyor",
        ),
        (
            "onaylı ve düzenli olarak uygulanıyor",
            "her yıl güncelleniyor",
            "tüm birimlerde uygulanıyor",
            "sorumlusu yıllık planda belirli",
        ),
        (
            "yılda iki kez göstergelerle gözden geçiriliyor",
            "sonuçlar ölçülüp yönetim kuruluna raporlanıyor",
            "ara değerlendirme sonrasında güncellendi",
            "{year} dış denetimi",
        ),
        (
            "benzer kuruluşlarca örnek gösteriliyor",
            "ağımızdaki ortaklar tarafından uyarlandı",
            "başka kuruluşlar referans olarak istiyor",
            "{year} bölgesel akran konferansında sunuldu",
        ),
    ),
}
_DRAFT = {"en": "Draft only: {item}", "tr": "Yalnızca taslak: {item}"}
_DRAFT_SEEN = {"en": "Only a draft seen: {item}", "tr": "Yalnızca taslak görüldü: {item}"}
_VERIFIED = {
    "en": ("Verified on site: ", "Seen during the review: ", "Checked: "),
    "tr": ("Yerinde doğrulandı: ", "İnceleme sırasında görüldü: ", "Kontrol edildi: "),
}


def _capitalise(text: str, lang: str) -> str:
    if not text:
        return text
    first = {"i": "İ", "ı": "I"}.get(text[0], text[0].upper()) if lang == "tr" else text[0].upper()
    return first + text[1:]


def _uncapitalise(text: str, lang: str) -> str:
    """'Annual budget' → 'annual budget', but 'KPI framework' stays as it is."""
    if len(text) < 2 or not text[0].isupper() or text[1].isupper():
        return text
    first = {"I": "ı", "İ": "i"}.get(text[0], text[0].lower()) if lang == "tr" else text[0].lower()
    return first + text[1:]


def _evidence_items(framework: Framework, code: str, lang: str) -> list[str]:
    """The documents the framework's evidence guidance names for an indicator, basic first."""
    guidance = framework.indicator(code).evidence(lang).strip().rstrip(".")
    return [_uncapitalise(item.strip(), lang) for item in guidance.split(", ") if item.strip()]


_FORWARD_LOOKING = {
    "en": ("strategy", "plan", "policy", "framework"),
    "tr": ("strateji", "plan", "politika", "çerçeve"),
}


def _period(item: str, year: int, lang: str, rng: random.Random) -> str:
    """The years a document covers: ahead for strategies and plans, up to now for records."""
    if any(word in item.lower() for word in _FORWARD_LOOKING[lang]):
        start = year - rng.choice((0, 1, 2))
        return f"{start}–{start + 4}"
    return f"{year - rng.choice((2, 3, 4))}–{year}"


def _when(completed: dt.date, lang: str, rng: random.Random) -> str:
    """A date a document was issued or reviewed: never after the questionnaire was completed."""
    year = completed.year - rng.choice((0, 0, 1, 1, 2))
    if rng.random() < 0.4:
        return str(year)
    last_month = completed.month if year == completed.year else 12
    return f"{_MONTHS[lang][rng.randint(1, last_month) - 1]} {year}"


def _evidence_note(
    framework: Framework,
    code: str,
    level: int,
    completed: dt.date,
    lang: str,
    rng: random.Random,
    evaluator: bool,
) -> str:
    """A plausible, specific note naming the documents behind `level`, dated before `completed`."""
    items = _evidence_items(framework, code, lang)
    centre = round((level - 1) / 4 * (len(items) - 1))
    pick = min(len(items) - 1, max(0, centre + rng.choice((-1, 0, 0, 1))))
    item = items[pick]
    when = _when(completed, lang, rng)
    if level <= 1:
        note = (_DRAFT_SEEN if evaluator else _DRAFT)[lang].format(item=item) + f" ({when})"
    else:
        shape = rng.random()
        if shape < 0.4:
            note = f"{_capitalise(item, lang)} ({when})"
        else:
            other = items[max(0, pick - 1)] if pick == len(items) - 1 else items[pick + 1]
            if shape < 0.7:
                period = _period(item, completed.year, lang, rng)
                note = f"{_capitalise(item, lang)} {period}; {other} ({when})"
            else:
                note = f"{_capitalise(item, lang)} ({when}); {other}"
    if rng.random() < 0.7:
        qualifier = rng.choice(_QUALIFIERS[lang][level])
        note += "; " + qualifier.format(year=completed.year - rng.choice((1, 2)))
    if evaluator and level > 1:  # a draft is already worded as what the evaluator saw
        prefix = rng.choice(_VERIFIED[lang])
        note = prefix + (_uncapitalise(note, lang) if lang == "en" else note)
    return note


def _evidence_link(org: DemoOrganisation, code: str, year: int) -> str:
    return f"https://example.org/{org.organisation_id.lower()}/{code.lower().replace('.', '-')}-{year}.pdf"


# ------------------------------------------------------------------ respondents and answers
@dataclass(frozen=True)
class _Respondent:
    name: str
    role: str
    bias: float  # levels above (or below) the latent capacity this person answers, on average
    diligence: float  # how often they write down their evidence, relative to EVIDENCE_CHANCE
    thorough: bool  # cites evidence for every level above 0: their file raises no evidence warning
    blanks: frozenset[str] = frozenset()


def _people(rng: random.Random, lang: str, count: int, exclude: set[str] | None = None) -> list[str]:
    names: list[str] = []
    taken = set(exclude or ())
    while len(names) < count:
        name = f"{rng.choice(_FIRST_NAMES[lang])} {rng.choice(_LAST_NAMES[lang])}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _self_respondent(name: str, codes: list[str], inflation: float, rng: random.Random) -> _Respondent:
    """A staff member: a little generous or strict, and now and then skipping a question or two."""
    blanks = frozenset(rng.sample(codes, rng.choice((1, 1, 2)))) if rng.random() < 0.2 else frozenset()
    bias = inflation + rng.gauss(0, PERSONAL_BIAS)
    thorough = rng.random() < THOROUGH_SELF_SHARE
    return _Respondent(name, layout.ROLE_SELF, bias, rng.uniform(0.75, 1.0), thorough, blanks)


def _answers(
    org: DemoOrganisation,
    framework: Framework,
    latent: dict[str, float],
    completed: dt.date,
    person: _Respondent,
    not_applicable: frozenset[str],
    rng: random.Random,
) -> dict[str, Answer]:
    evaluator = person.role == layout.ROLE_EVALUATOR
    sigma = EVALUATOR_NOISE if evaluator else SELF_NOISE
    levels: dict[str, int] = {}
    for dim in framework.dimensions:
        answered = [ind.code for ind in dim.indicators if ind.code not in not_applicable | person.blanks]
        if not answered:
            continue
        # Centred noise: the person disagrees with the latent level indicator by indicator,
        # not about the dimension as a whole (that is what `bias` is for).
        noise = _centred({code: rng.gauss(0, sigma) for code in answered})
        levels.update(_levels({code: latent[code] + person.bias + noise[code] for code in answered}))
    answers = {}
    for ind in framework.indicators:
        code = ind.code
        if code in not_applicable:
            answers[code] = Answer(code=code, not_applicable=True)
        elif code not in levels:
            answers[code] = Answer(code=code)
        else:
            level = levels[code]
            evidence = link = ""
            cited = person.thorough or rng.random() < EVIDENCE_CHANCE[level] * person.diligence
            if level > 0 and cited:
                evidence = _evidence_note(framework, code, level, completed, org.language, rng, evaluator)
                if level >= 3 and rng.random() < LINK_CHANCE:
                    link = _evidence_link(org, code, completed.year)
            answers[code] = Answer(code=code, level=level, evidence=evidence, evidence_link=link)
    return answers


def _completed(year: int, today: dt.date, rng: random.Random, after: dt.date | None = None) -> dt.date:
    """A plausible completion date in `year` (an evaluator's comes `after` the staff's), never after today."""
    if after is None:
        date = dt.date(year, rng.randint(2, 6), rng.randint(1, 28))
    else:
        date = min(after + dt.timedelta(days=rng.randint(20, 60)), dt.date(year, 12, 15))
    return min(date, today)


def _tells_its_story(
    org: DemoOrganisation, questionnaires: list[DemoQuestionnaire], framework: Framework
) -> bool:
    """Whether the scoring engine gives the organisation's index the trend arrow of its story."""
    rounds: dict[int, list[Submission]] = {}
    for item in questionnaires:
        rounds.setdefault(item.submission.year, []).append(item.submission)
    results = [score_assessment(submissions, framework) for _year, submissions in sorted(rounds.items())]
    arrows = [t.arrow for t in trends_for(results, current_roadmap()) if t.target == INDEX]
    return arrows == [STORY_ARROWS[org.story]]


def _organisation_questionnaires(
    org: DemoOrganisation, framework: Framework, seed: int, today: dt.date
) -> list[DemoQuestionnaire]:
    """The organisation's questionnaires, redrawn (deterministically) until they tell its story.

    Respondents' scatter can hide a flat or gently rising line, and a board reading the demo
    must find exactly the stories the cast was written for; a few redraws settle that. The
    last draw stands when none agrees (e.g. too few rounds to show a trend).
    """
    drawn: list[DemoQuestionnaire] = []
    for attempt in range(STORY_ATTEMPTS):
        stream = f"{seed}:{org.organisation_id}" + (f":{attempt}" if attempt else "")
        drawn = _draw_questionnaires(org, framework, random.Random(stream), today)
        if _tells_its_story(org, drawn, framework):
            break
    return drawn


def _draw_questionnaires(
    org: DemoOrganisation, framework: Framework, rng: random.Random, today: dt.date
) -> list[DemoQuestionnaire]:
    years = round_years(today)
    capacity = _latent_capacity(org, framework, years, rng)
    staff = _people(rng, org.language, 7)
    evaluators = _people(rng, org.language, 3, exclude=set(staff))
    not_applicable = set(NOT_APPLICABLE_BY_TYPE.get(org.organisation_type, ()))
    if org.region in FAR_FROM_EUROPE:
        not_applicable.add(EU_ENGAGEMENT)
    attended = [y for y in years if y >= org.first_year and y != org.skipped_year]
    # The same evaluator pattern at both ends keeps the trend honest: an evaluator's
    # stricter levels in only one end round would bend the arrow.
    ends_evaluated = rng.random() < EVALUATOR_SHARE
    codes = [ind.code for ind in framework.indicators]
    questionnaires = []
    for year in attended:
        evaluated = ends_evaluated if year in (attended[0], attended[-1]) else rng.random() < EVALUATOR_SHARE
        count = _weighted(rng, RESPONDENT_COUNTS)
        inflation = SELF_INFLATION_REVIEWED if evaluated else SELF_INFLATION_ALONE
        people = [_self_respondent(name, codes, inflation, rng) for name in rng.sample(staff, count)]
        if evaluated:
            name = rng.choice(evaluators)
            people.append(
                _Respondent(
                    name,
                    layout.ROLE_EVALUATOR,
                    bias=-EVALUATOR_STRICTNESS,
                    diligence=1.0,
                    thorough=rng.random() < THOROUGH_EVALUATOR_SHARE,
                )
            )
        self_date = _completed(year, today, rng)
        numbers = {layout.ROLE_SELF: 0, layout.ROLE_EVALUATOR: 0}
        for person in people:
            numbers[person.role] += 1
            if person.role == layout.ROLE_SELF:
                date = min(today, self_date + dt.timedelta(days=rng.randint(0, 10)))
            else:
                date = _completed(year, today, rng, after=self_date)
            answers = _answers(org, framework, capacity[year], date, person, frozenset(not_applicable), rng)
            submission = Submission(
                framework_id=framework.id,
                framework_version=framework.version,
                organisation_id=org.organisation_id,
                organisation_name=org.name,
                year=year,
                respondent_role=person.role,
                answers=answers,
                organisation_type=org.organisation_type,
                country=org.country,
                region=org.region,
                respondent_name=person.name,
                date_completed=date,
                language=org.language,
                template_version=layout.TEMPLATE_VERSION,
            )
            path = PurePosixPath(org.organisation_id, f"{year}-{person.role}-{numbers[person.role]}.xlsx")
            questionnaires.append(DemoQuestionnaire(path=path, submission=submission))
    return questionnaires


def organisation_count(scale: int = 1, organisations: int | None = None) -> int:
    """How many organisations a demo holds: `organisations` if given, else 28 per unit of scale."""
    count = organisations if organisations is not None else ORGANISATIONS_PER_SCALE * scale
    if count < 1:
        raise ValueError(f"a demo needs at least one organisation, got {count}")
    return count


def demo_questionnaires(
    seed: int = DEFAULT_SEED, scale: int = 1, organisations: int | None = None, today: dt.date | None = None
) -> list[DemoQuestionnaire]:
    """Every demo questionnaire with its relative path, without writing anything."""
    framework = current_framework()
    today = today or dt.date.today()
    found: list[DemoQuestionnaire] = []
    for org in demo_organisations(seed, organisation_count(scale, organisations)):
        found.extend(_organisation_questionnaires(org, framework, seed, today))
    return found


def demo_submissions(
    seed: int = DEFAULT_SEED, scale: int = 1, organisations: int | None = None, today: dt.date | None = None
) -> list[Submission]:
    """The demo as Submission objects: the fast path for benchmarks and tests (no Excel written)."""
    return [q.submission for q in demo_questionnaires(seed, scale, organisations, today)]


# ------------------------------------------------------------------ files
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _fixed_timestamps(data: bytes, moment: dt.datetime) -> bytes:
    """The same workbook with every timestamp set to `moment`, so equal content gives equal bytes.

    openpyxl stamps the save time into docProps/core.xml and the zip entries; rewriting
    both keeps the committed demo files unchanged when nothing in them changed.
    """
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return buffer.getvalue()


def questionnaire_bytes(submission: Submission, framework: Framework | None = None) -> bytes:
    """The filled .xlsx of one submission, timestamped with its completion date."""
    data = build_template(framework=framework, lang=submission.language, prefill=submission, complete=True)
    completed = submission.date_completed or dt.date(submission.year, 1, 1)
    return _fixed_timestamps(data, dt.datetime.combine(completed, dt.time(12, 0)))


_DEMO_FILE = re.compile(r"^\d{4}-(?:self|evaluator)-\d+\.xlsx$")


def _remove_stale(out_dir: Path, keep: set[Path]) -> None:
    """Delete earlier demo files that the new demo no longer holds (only demo-named files)."""
    for path in out_dir.glob("*/*.xlsx"):
        if _DEMO_FILE.match(path.name) and path not in keep:
            path.unlink()
    for folder in out_dir.iterdir():
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def generate_demo(
    out_dir: Path,
    seed: int = DEFAULT_SEED,
    scale: int = 1,
    progress: Callable[[int, int], None] | None = None,
    organisations: int | None = None,
    today: dt.date | None = None,
) -> list[Path]:
    """Write the demo questionnaires under `out_dir` and return their paths.

    Files are only rewritten when their bytes change, and earlier demo files the new demo
    no longer holds are removed, so `out_dir` always mirrors exactly one demo.
    """
    out_dir = Path(out_dir)
    questionnaires = demo_questionnaires(seed, scale, organisations, today)
    framework = current_framework()
    written: list[Path] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for done, item in enumerate(questionnaires, start=1):
        path = out_dir.joinpath(*item.path.parts)
        data = questionnaire_bytes(item.submission, framework)
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        written.append(path)
        if progress is not None:
            progress(done, len(questionnaires))
    _remove_stale(out_dir, set(written))
    return written


# ------------------------------------------------------------------ storing the demo
DEMO_DIR = Path(__file__).resolve().parents[2] / "assessments" / "demo"  # committed with the project


def demo_files(directory: Path) -> list[Path]:
    """The demo questionnaires under `directory`, in a stable order."""
    return sorted(path for path in Path(directory).glob("*/*.xlsx") if _DEMO_FILE.match(path.name))


def _stored_name(path: PurePosixPath | Path) -> str:
    """The file name kept with the submission: the organisation folder makes it unique."""
    return f"{path.parent.name}-{path.name}"


def ingest_demo(
    store: Store,
    files: Sequence[Path] | Sequence[tuple[str, bytes]],
    actor: Actor | None = None,
    progress: Callable[[int, int], None] | None = None,
    lang: str = "en",
) -> list[IngestOutcome]:
    """Validate and store demo questionnaires (paths, or (name, bytes) pairs), many per transaction.

    The organisations the files name enter the register first (as the files describe them).
    Each file goes through the reader and the ordinary batch ingestion (`ingest_files`, which
    stores exactly what uploading the files one by one would), so the demo also proves
    that generated files are accepted. A file already stored is a reported no-op, so running
    the demo twice changes nothing. `progress` hears of each file once its batch is committed.
    """
    from capacity.questionnaire.reader import read_questionnaire
    from capacity.rounds.register import register_from_files
    from capacity.store.ingest import ingest_files

    registered: set[str] = set()

    def read_all() -> Iterator[tuple[bytes, str, ReadResult]]:
        for item in files:
            name, data = (_stored_name(item), item.read_bytes()) if isinstance(item, Path) else item
            read = read_questionnaire(data, name)
            # The demo's organisations enter the register as their files describe them (read
            # between batches, so no write transaction is open meanwhile).
            if read.submission is not None and read.submission.organisation_id not in registered:
                register_from_files(store, actor or SYSTEM, [read.submission])
                registered.add(read.submission.organisation_id)
            yield data, name, read

    outcomes = []
    for outcome in ingest_files(store, read_all(), actor or SYSTEM, lang):
        outcomes.append(outcome)
        if progress is not None:
            progress(len(outcomes), len(files))
    return outcomes


def store_is_empty(store: Store) -> bool:
    """Whether the database holds no organisation yet (a first start)."""
    from sqlalchemy import select

    from capacity.store.models import Organisation

    with store.read() as session:
        return session.scalar(select(Organisation.id).limit(1)) is None


def ingest_demo_if_empty(
    store: Store, directory: Path = DEMO_DIR, progress: Callable[[int, int], None] | None = None
) -> list[IngestOutcome]:
    """On a first start, fill an empty database with the committed demo and its rounds (nothing otherwise).

    Without committed files (e.g. an installed package) the default demo is generated in
    memory instead, so a newcomer never lands on an empty dashboard.
    """
    from capacity.rounds.demo import open_demo_rounds

    if not store_is_empty(store):
        return []
    paths = demo_files(directory)
    if paths:
        outcomes = ingest_demo(store, paths, progress=progress)
    else:
        generated = [(_stored_name(q.path), questionnaire_bytes(q.submission)) for q in demo_questionnaires()]
        outcomes = ingest_demo(store, generated, progress=progress)
    open_demo_rounds(store)
    add_demo_plans(store)
    return outcomes


PLANNING_SHARE = 3  # every third organisation has a plan
ACTIONS_PER_PLAN = 3  # its largest weighted gaps
# What happened to a closed round's actions, in turn: done on time, done late, dropped.
_OUTCOMES = ("on_time", "late", "dropped")
_ACTION_TEXT = "Work towards level {level}: {step}"
_OWNERS = ("Head of humanitarian diplomacy", "Secretary general", "Communications lead", "Legal adviser")
_PROGRESS = {
    "on_time": "Completed and reported to the board.",
    "late": "Completed after a delay in funding.",
    "dropped": "Dropped: the budget went to the emergency response.",
}


def add_demo_plans(store: Store, today: dt.date | None = None) -> int:
    """Improvement plans for every third demo organisation (the demo manager's first one
    included); the number of actions added.

    In the closed round before the organisation's latest, each plan takes its three largest
    weighted gaps (the engine's priorities) and ends them done on time, done late, or
    dropped, so the latest round shows each action's before → after and the Roadmap page
    its figures.
    The organisations' latest round gets one open action each, so the profile shows a
    plan in progress. Nothing is added when any plan exists (a second start changes nothing).
    """
    from sqlalchemy import select

    from capacity.plans import actions as plan
    from capacity.scoring.priorities import indicator_priorities
    from capacity.store import queries
    from capacity.store.models import PlanAction

    today = today or dt.date.today()
    with store.read() as session:
        if session.scalar(select(PlanAction.id).limit(1)) is not None:
            return 0
    framework, roadmap = current_framework(), current_roadmap()
    # national societies first, as the demo manager's accounts are chosen, so their first one has a plan
    portfolio = queries.portfolio(store, SYSTEM)
    types = dict(zip(portfolio["organisation_id"], portfolio["organisation_type"], strict=True))
    organisations = sorted(types, key=lambda org: (types[org] != "national_society", org))
    added = 0
    for number, organisation_id in enumerate(organisations[::PLANNING_SHARE]):
        rng = random.Random(f"{DEFAULT_SEED}/plan/{organisation_id}")
        results = {r.year: r for r in queries.assessment_results(store, SYSTEM, organisation_id)}
        rounds = sorted(results)
        for year, result in sorted(results.items()):
            # closed: the round before the latest, whose next round shows whether the levels moved
            closed = len(rounds) > 1 and year == rounds[-2]
            if not (closed or year == rounds[-1]):
                continue
            priorities = indicator_priorities(result, framework, roadmap)[: ACTIONS_PER_PLAN if closed else 1]
            for position, priority in enumerate(priorities):
                indicator = framework.indicator(priority.code)
                step = indicator.descriptors[priority.next_level]("en")
                due = (
                    dt.date(year + 2, rng.choice((3, 6, 9, 12)), 28)
                    if closed
                    else today + dt.timedelta(days=240)
                )
                action_id = plan.add_action(
                    store,
                    SYSTEM,
                    organisation_id,
                    year,
                    priority.code,
                    _ACTION_TEXT.format(level=priority.next_level, step=step),
                    _OWNERS[(number + position) % len(_OWNERS)],
                    due,
                    priority.next_level,
                )
                added += 1
                if not closed:
                    plan.update_action(store, SYSTEM, action_id, status=plan.IN_PROGRESS)
                    continue
                outcome = _OUTCOMES[(number + position) % len(_OUTCOMES)]
                if outcome == "dropped":
                    plan.update_action(store, SYSTEM, action_id, status=plan.DROPPED)
                else:
                    shift = -rng.randint(10, 120) if outcome == "on_time" else rng.randint(20, 200)
                    completed = due + dt.timedelta(days=shift)
                    plan.update_action(store, SYSTEM, action_id, status=plan.DONE, today=completed)
                plan.add_note(store, SYSTEM, action_id, _PROGRESS[outcome], plan.PROGRESS)
    return added
