"""Dates as pages write them -> ISO 8601, and the choice of a page's publication date.

A value with a time and a UTC offset becomes a timezone-aware ISO datetime
("2018-07-05T10:30:00+02:00"); anything else becomes a plain date ("2018-07-05"), since a
time without an offset cannot be placed on the timeline. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache

import pytz

#: Earliest plausible publication date of a web page.
MIN_YEAR = 1993
#: A UTC time before LOCAL_BEHIND o'clock may still be the previous day where the page is
#: (the Americas), one from LOCAL_AHEAD o'clock already the next (Europe, Africa, Asia).
#: Wider windows let a wrong hint move right days (measured on the benchmark pages).
LOCAL_BEHIND, LOCAL_AHEAD = 4, 22

ISO_DATETIME = re.compile(
    r"^\s*(\d{4})-?(\d{2})-?(\d{2})"  # date
    r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?"  # time
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?",  # offset
    re.IGNORECASE,
)
#: "2022-5-5 22:17:36": an ISO-like day whose month or day lacks its leading zero.
UNPADDED_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[T\s])")
YMD_SLASH = re.compile(r"\b(\d{4})(?:/|\.\s?)(\d{1,2})(?:/|\.\s?)(\d{1,2})\b")  # "2023/03/01", Korean "2023. 3. 1."
DMY_NUMERIC = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
DMY_SLASH = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b")
#: Where numeric days put the month first ("11/19/2019" is 19 November): the United States
#: and the Philippines; everywhere else the day comes first.
MONTH_FIRST_REGIONS = frozenset({"us", "ph"})
URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"
)
URL_DATE_SEPARATED = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
#: Vietnamese: "1 tháng 3 năm 2023", "ngày 1 tháng 3, 2023".
DMY_VIETNAMESE = re.compile(r"\b(\d{1,2})\s+tháng\s+(\d{1,2}),?\s+(?:năm\s+)?(\d{4})\b", re.IGNORECASE)
YMD_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
YEAR = re.compile(r"\d{4}")
EPOCH = re.compile(r"^\s*(\d{10})(?:\d{3})?\s*$")

MONTHS = {
    # English
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "decembre": 12,
    # Spanish / Italian / Portuguese (common forms)
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
    # Portuguese
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
    # Dutch, Swedish, Danish, Norwegian, Indonesian
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8, "augusti": 8, "maj": 5,
    "maret": 3, "agustus": 8, "desember": 12,
    # Romanian
    "ianuarie": 1, "februarie": 2, "martie": 3, "aprilie": 4, "iunie": 6, "iulie": 7, "septembrie": 9,
    "octombrie": 10, "noiembrie": 11, "decembrie": 12,
    # Polish and Czech (the forms after a day)
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7, "sierpnia": 8,
    "września": 9, "października": 10, "listopada": 11, "grudnia": 12,
    "ledna": 1, "února": 2, "března": 3, "dubna": 4, "května": 5, "června": 6, "července": 7, "srpna": 8,
    "září": 9, "října": 10, "listopadu": 11, "prosince": 12,
    # Russian and Ukrainian (the forms after a day)
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
    "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7, "серпня": 8,
    "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
    # Turkish, Finnish (the forms after a day)
    "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7, "ağustos": 8,
    "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
    "tammikuuta": 1, "helmikuuta": 2, "maaliskuuta": 3, "huhtikuuta": 4, "toukokuuta": 5, "kesäkuuta": 6,
    "heinäkuuta": 7, "elokuuta": 8, "syyskuuta": 9, "lokakuuta": 10, "marraskuuta": 11, "joulukuuta": 12,
    # Greek (the forms after a day, with and without accents, as headlines in capitals drop them)
    "ιανουαρίου": 1, "φεβρουαρίου": 2, "μαρτίου": 3, "απριλίου": 4, "μαΐου": 5, "ιουνίου": 6, "ιουλίου": 7,
    "αυγούστου": 8, "σεπτεμβρίου": 9, "οκτωβρίου": 10, "νοεμβρίου": 11, "δεκεμβρίου": 12,
    "ιανουαριου": 1, "φεβρουαριου": 2, "μαρτιου": 3, "απριλιου": 4, "μαιου": 5, "ιουνιου": 6, "ιουλιου": 7,
    "αυγουστου": 8, "σεπτεμβριου": 9, "οκτωβριου": 10, "νοεμβριου": 11, "δεκεμβριου": 12,
    # Croatian and Serbian (Latin script; the forms after a day)
    "siječnja": 1, "veljače": 2, "ožujka": 3, "travnja": 4, "svibnja": 5, "lipnja": 6, "srpnja": 7,
    "kolovoza": 8, "rujna": 9, "studenoga": 11, "prosinca": 12,  # "listopada" is read as Polish (November)
    "januara": 1, "februara": 2, "marta": 3, "aprila": 4, "juna": 6, "jula": 7, "avgusta": 8, "septembra": 9,
    "oktobra": 10, "novembra": 11, "decembra": 12,
    # Hungarian (written year first: "2021. március 3.")
    "január": 1, "február": 2, "március": 3, "április": 4, "május": 5, "június": 6, "július": 7,
    "augusztus": 8, "szeptember": 9, "október": 10,
    # Danish
    "marts": 3,
    # Arabic: the months of Egypt and the Gulf, and the Levant's (digits of any script are read)
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7,
    "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7, "آب": 8,
    "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)
DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|º|ª|η)?\.?\s+(?:de\s+)?({_MONTH_NAMES})\.?,?\s+(?:de\s+)?(\d{{4}})\b",
    re.IGNORECASE,
)


def _valid(year: int, month: int, day: int, latest: date | None) -> date | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    if year < MIN_YEAR:
        return None
    if latest is not None and value > latest:
        return None
    return value


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    text = text.upper()
    if text in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def format_datetime(value: datetime) -> str:
    """ISO 8601: a datetime when it knows its offset, else its date."""
    if value.tzinfo is None:
        return value.date().isoformat()
    return value.isoformat(timespec="seconds")

#: A month written out between the year and the day, as Hungarian writes dates ("2021. március 3.").
YEAR_MONTH_DAY = re.compile(rf"\b(\d{{4}})\.\s+({_MONTH_NAMES})\s+(\d{{1,2}})\.", re.IGNORECASE)


def parse_date(text: str | None, *, latest: date | None = None, month_first: bool = False) -> str | None:
    """One date or datetime string as ISO 8601, or None when it holds no plausible date.

    ``latest`` rejects dates after it (pass the crawl day plus a little slack);
    ``month_first`` reads a numeric day with slashes as the page writes it
    (:func:`writes_month_first`).
    """
    if not text:
        return None
    text = str(text).strip()
    if not text or len(text) > 200:
        return None
    epoch = EPOCH.match(text)
    if epoch:
        value = datetime.fromtimestamp(int(epoch[1]), tz=timezone.utc)
        return format_datetime(value) if _valid(value.year, value.month, value.day, latest) else None
    text = UNPADDED_DAY.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text, count=1)
    match = ISO_DATETIME.match(text)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        day_value = _valid(year, month, day, latest)
        if day_value is None:
            return None
        if match[4] is not None:
            tz = _offset(match[7])
            hour, minute, second = int(match[4]), int(match[5]), int(match[6] or 0)
            if tz is not None and hour < 24 and minute < 60 and second < 60:
                if tz.utcoffset(None) == timedelta(0) and hour == minute == second == 0:
                    return day_value.isoformat()  # a day stored as UTC midnight: no time known
                return format_datetime(datetime(year, month, day, hour, minute, second, tzinfo=tz))
        return day_value.isoformat()
    if re.match(r"^[A-Za-z]{3},", text) or re.search(r"\d{2}:\d{2}(:\d{2})?\s+([+-]\d{4}|GMT|UTC)", text):
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            value = None
        if value is not None and _valid(value.year, value.month, value.day, latest):
            return format_datetime(value)
    return find_date_in_text(text, latest=latest, month_first=month_first)


def find_date_in_text(text: str, *, latest: date | None = None, month_first: bool = False) -> str | None:
    """The first written date in free text ("July 5, 2018", "5. Juli 2018", "05.07.2018")."""
    found = find_date_span(text, latest=latest, month_first=month_first)
    return found[0] if found else None


def find_date_span(text: str, *, latest: date | None = None,
                   month_first: bool = False) -> tuple[str, int, int] | None:
    """The first written date in free text with where it starts and ends, so that callers
    can tell a date line ("29.11.2022 – ...") from a date mentioned in passing.

    A numeric day with slashes is read day first unless ``month_first``; a number above 12
    is a day wherever it stands ("11/19/2019" is 19 November either way).
    """
    if not YEAR.search(text):
        return None  # every pattern needs a year: most text has none, and this is fast
    slash_orders = ("mdy", "dmy") if month_first else ("dmy", "mdy")
    for pattern, orders in (
        (MONTH_DAY_YEAR, ("mdy",)),
        (DAY_MONTH_YEAR, ("dmy",)),
        (YEAR_MONTH_DAY, ("ymd",)),
        (YMD_CJK, ("ymd",)),
        (DMY_VIETNAMESE, ("dmy",)),
        (YMD_SLASH, ("ymd",)),
        (DMY_NUMERIC, ("dmy",)),
        (DMY_SLASH, slash_orders),
    ):
        for match in pattern.finditer(text):
            for order in orders:
                parts = dict(zip(order, match.groups()))
                month_number = _month_number(parts["m"])
                value = _valid(int(parts["y"]), month_number, int(parts["d"]), latest) if month_number else None
                if value is not None:
                    return value.isoformat(), match.start(), match.end()
    return None


def writes_month_first(texts: Iterable[str], region: str | None) -> bool:
    """Whether a page writes its numeric days month first: as its own days that can be read
    one way only say ("11/19/2019" month first, "19/11/2019" day first), else as its
    region does (:data:`MONTH_FIRST_REGIONS`; ``region`` a country code such as "us")."""
    votes = Counter()
    for text in texts:
        for first, second, year in DMY_SLASH.findall(text):
            first_number, second_number = int(first), int(second)
            if int(year) < MIN_YEAR or max(first_number, second_number) > 31:
                continue  # a reference number ("EU/1/20/1525"), not a day
            if (first_number > 12) != (second_number > 12):
                votes["day first" if first_number > 12 else "month first"] += 1
    if votes["month first"] != votes["day first"]:
        return votes["month first"] > votes["day first"]
    return (region or "").lower() in MONTH_FIRST_REGIONS


def _month_number(month: str) -> int | None:
    """A month as a number, from digits or a name ("07", "Juli", "Jul.")."""
    return int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))


def date_from_url(url: str | None, *, latest: date | None = None) -> str | None:
    """The day a dated URL names (``/2018/07/05/slug``, ``/2018-07-05-slug``), or None."""
    if not url:
        return None
    for pattern in (URL_DATE, URL_DATE_SEPARATED):
        match = pattern.search(url)
        if match:
            value = _valid(int(match[1]), int(match[2]), int(match[3]), latest)
            if value is not None:
                return value.isoformat()
    return None


def day_of(value: str | None) -> str | None:
    """The YYYY-MM-DD part of an ISO value."""
    return value[:10] if value else None


def has_time(value: str | None) -> bool:
    return bool(value) and "T" in value


# -- choosing the published date -----------------------------------------------------------

#: Sources of a published date (prefixes of a candidate's source), most reliable first:
#: markup that says "published", the date of the feed item that listed the page (the same
#: CMS field, when crawling), the URL, the date shown under the headline, then weaker
#: markup and htmldate ("trafilatura"), which guesses from the whole page.
PUBLISHED_ORDER = ("ld-datepublished", "meta:", "itemprop", "parsely", "time-published", "feed", "url",
                   "visible", "ld-datecreated", "ld-uploaddate", "meta-generic:", "time", "trafilatura")
#: Sources ranked before this one (the URL) in :data:`PUBLISHED_ORDER` are markup (and the feed).
MARKUP_RANKS = PUBLISHED_ORDER.index("url")
#: The kind of evidence each source is (by prefix), as records name it in ``published_source``.
SOURCE_NAMES = (("ld-", "jsonld"), ("meta", "meta"), ("parsely", "meta"), ("itemprop", "microdata"),
                ("time", "time"), ("feed", "feed"), ("url", "url"), ("visible", "shown"), ("trafilatura", "htmldate"))
#: Sources that name a day independently of the page's markup: the date shown beside the
#: headline, then a dated URL.
NAMED_DAY_SOURCES = ("visible", "url")


@dataclass(frozen=True)
class Reading:
    """One candidate date as ISO 8601, with its source and the rank of that source."""

    rank: int
    source: str
    value: str

    @property
    def day(self) -> str:
        return self.value[:10]


@dataclass(frozen=True)
class Published:
    """A page's publication date and the kind of evidence it came from (:data:`SOURCE_NAMES`)."""

    value: str
    source: str


def source_name(source: str) -> str:
    """The kind of evidence a candidate's source is ("ld-datepublished" -> "jsonld")."""
    return next((name for prefix, name in SOURCE_NAMES if source.startswith(prefix)), source)


def _rank(source: str) -> int:
    return next((i for i, prefix in enumerate(PUBLISHED_ORDER) if source.startswith(prefix)),
                len(PUBLISHED_ORDER))


def _readings(candidates: Iterable[tuple[str, str]], latest: date | None, month_first: bool) -> list[Reading]:
    readings = []
    for source, raw in candidates:
        value = parse_date(raw, latest=latest, month_first=month_first)
        if value:
            readings.append(Reading(_rank(source), source, value))
    return sorted(readings, key=lambda r: r.rank)


def _without_year_guess(readings: list[Reading]) -> list[Reading]:
    """The readings without htmldate's 1 January that no other source names: htmldate falls
    back on a year alone (a footer's copyright) and gives it as that day, which is no day the
    page was published."""
    days = [r.value[:10] for r in readings]
    return [r for r in readings
            if not (r.source.startswith("trafilatura") and r.value[5:10] == "01-01" and days.count(r.value[:10]) == 1)]


def page_offset(values: Iterable[str]) -> timezone | None:
    """The page's own UTC offset: the first datetime it writes with a non-zero offset."""
    for value in values:
        if has_time(value):
            offset = datetime.fromisoformat(value).utcoffset()
            if offset:
                return timezone(offset)
    return None


#: Country-code domains that sites take for their letters, not their country.
VANITY_TLDS = frozenset({"ac", "ai", "am", "cc", "co", "fm", "gg", "io", "la", "ly", "me", "nu",
                         "sh", "so", "to", "tv", "vc", "ws"})


@lru_cache(maxsize=512)
def country_zones(host: str | None) -> tuple[tzinfo, ...]:
    """The time zones of the country whose domain a site is on (``.de``, ``.ca``, ``.co.uk``):
    where its readers live, for a page that writes its times in UTC only. Empty for generic
    domains (``.com``) and for country codes that sites take for their letters (``.io``)."""
    code = country_code(host)
    return tuple(pytz.timezone(name) for name in pytz.country_timezones.get(code, [])) if code else ()


def country_code(host: str | None) -> str | None:
    """The country whose domain a site is on ("gb" for ``.co.uk``), or None for generic
    domains and for country codes that sites take for their letters."""
    code = (host or "").rstrip(".").rsplit(".", 1)[-1].lower()
    code = "gb" if code == "uk" else code
    return code if len(code) == 2 and code.isalpha() and code not in VANITY_TLDS else None


def localize(value: str, tz: tzinfo | None) -> str:
    """A UTC datetime in the page's offset: the same moment, on the day readers saw."""
    if tz is None or not is_utc(value):
        return value
    return format_datetime(datetime.fromisoformat(value).astimezone(tz))


def is_utc(value: str | None) -> bool:
    return has_time(value) and value.endswith("+00:00")


def choose_published(candidates: Iterable[tuple[str, str]], *, latest: date | None = None,
                     zone_hints: Iterable[str] = (), site_zones: tuple[tzinfo, ...] = (),
                     month_first: bool = False) -> Published | None:
    """The publication date of a page from its ``(source, raw value)`` candidates.

    The best-ranked source wins (:data:`PUBLISHED_ORDER`), unless the page shows a later day
    beside its headline (:func:`_shown_if_later`) or its URL and htmldate agree on a day
    months from the markup's (:func:`_url_if_markup_moved`). A time written in UTC is read on the day
    the page's readers saw (:func:`_local`): in the offset the page writes elsewhere
    (``zone_hints``: its other datetimes, such as the modified times), else on the
    neighbouring day that the page names itself, else on the day every clock of the site's
    country shows (``site_zones``: :func:`country_zones`), else on the neighbouring day
    htmldate names. The source is that of the reading whose day wins. Numeric days with
    slashes are read as the page writes them (``month_first``: :func:`writes_month_first`).
    """
    readings = _without_year_guess(_readings(candidates, latest, month_first))
    if not readings:
        return None
    offset = page_offset([*(r.value for r in readings), *(v for v in map(parse_date, zone_hints) if v)])
    named = [day for prefix in NAMED_DAY_SOURCES if (day := _first_day(readings, prefix))]
    guessed = _first_day(readings, "trafilatura")
    readings = [Reading(r.rank, r.source, _local(r.value, offset, named, site_zones, guessed)) for r in readings]
    best = _url_if_markup_moved(_shown_if_later(readings), readings)
    return Published(_with_time(best.value, readings), source_name(best.source))


def _local(value: str, offset: tzinfo | None, named: list[str], zones: tuple[tzinfo, ...],
           guessed: str | None) -> str:
    """A UTC time on the local day, from the best evidence the page gives: its own offset, a
    day it names (shown or in its URL) that a real clock reaches from the UTC time, the
    day all its country's clocks show, or htmldate's guess within the same reach."""
    if not is_utc(value):
        return value
    if offset is not None:
        return localize(value, offset)
    moment = datetime.fromisoformat(value)
    reachable = _reachable_days(moment)
    day = next((day for day in named if day in reachable), None)
    if day is not None:
        clock = _country_clock(moment, zones) if zones else None
        if clock is not None and clock[:10] == day:
            return clock  # the named day, at the time the country's clocks show
        return value if day == value[:10] else day
    if zones:
        return _country_clock(moment, zones) or value
    return guessed if guessed in reachable and guessed != value[:10] else value


def _reachable_days(moment: datetime) -> set[str]:
    """The UTC day of a moment, and the day before or after where a real clock shows it:
    a UTC time before LOCAL_BEHIND o'clock may still be the previous day in the Americas,
    one from LOCAL_AHEAD o'clock already the next in Europe, Africa and Asia."""
    days = {moment.date()}
    if moment.hour < LOCAL_BEHIND:
        days.add(moment.date() - timedelta(days=1))
    if moment.hour >= LOCAL_AHEAD:
        days.add(moment.date() + timedelta(days=1))
    return {day.isoformat() for day in days}


def _country_clock(moment: datetime, zones: tuple[tzinfo, ...]) -> str | None:
    """The moment as every clock of a country shows it: in their offset when they all keep
    one, else as it is when they all show its UTC day, else the day they all show; None
    when they disagree on the day."""
    offsets = {moment.astimezone(zone).utcoffset() for zone in zones}
    if len(offsets) == 1:
        return format_datetime(moment.astimezone(zones[0]))
    days = {moment.astimezone(zone).date() for zone in zones}
    if len(days) > 1:
        return None
    day = days.pop()
    return format_datetime(moment) if day == moment.date() else day.isoformat()


def _shown_if_later(readings: list[Reading]) -> Reading:
    """The best reading, unless it is markup and the page shows a later day beside the
    headline, not labelled as an update: the article was republished, and readers (and
    citations) know it by the day shown, while the markup kept the first draft's date. A
    shown day before the markup's is more often another date (an event, a teaser)."""
    best = readings[0]
    if best.rank >= MARKUP_RANKS:
        return best
    shown = next((r for r in readings if r.source.startswith("visible")), None)
    return shown if shown is not None and shown.day > best.day else best


#: Days between the markup's date and the day a dated URL names beyond which the markup is
#: not the delay between drafting and publishing (hours, days) but a later restamp.
MOVED_AFTER_DAYS = 30


def _url_if_markup_moved(best: Reading, readings: list[Reading]) -> Reading:
    """The best reading, unless it is markup more than a month from the day the URL names
    and htmldate, which weighs the whole page, names the URL's day too: a CMS that imports
    or moves an archive restamps every article's markup, while its URL keeps the day it
    was written. Closer days are the usual gap between a draft's URL and its publication."""
    url = next((r for r in readings if r.source.startswith("url")), None)
    if best.rank >= MARKUP_RANKS or url is None or _first_day(readings, "trafilatura") != url.day:
        return best
    apart = abs((date.fromisoformat(best.day) - date.fromisoformat(url.day)).days)
    return url if apart > MOVED_AFTER_DAYS else best


def _first_day(readings: list[Reading], prefix: str) -> str | None:
    return next((r.day for r in readings if r.source.startswith(prefix)), None)


def _with_time(best: str, readings: list[Reading]) -> str:
    """A plain day borrows the time and offset of another reading of that day."""
    if has_time(best):
        return best
    return next((r.value for r in readings if has_time(r.value) and r.day == best), best)
