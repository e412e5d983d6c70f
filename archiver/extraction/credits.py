"""Organisations in bylines: news agencies, desks, boards and the site itself are credits, not authors.

``is_organisation("Reuters staff")``, ``is_organisation("Editorial Board")``,
``is_organisation("auto-motor.at Redaktion")`` are true; ``credit_name("Reuters staff")``
is ``"Reuters"``. :mod:`archiver.extraction.bylines` sets such parts of a byline aside as
the record's ``credit``; ``authors`` keeps people only. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from archiver.text import text_key

#: News agencies and wire services (English, German, French, Spanish, Italian and more).
AGENCIES = (
    "reuters", "thomson reuters", "associated press", "ap", "afp", "agence france[- ]presse", "agence france presse",
    "dpa", "deutsche presse[- ]agentur", "apa", "austria presse agentur", "kna", "epd", "sid", "ddp", "dts",
    "efe", "agencia efe", "europa press", "ansa", "adnkronos", "agi", "lusa", "belga", "anp", "keystone[- ]sda",
    "sda", "ats", "ritzau", "ntb", "tt", "stt", "pap", "ctk", "mti", "tass", "ria novosti", "interfax", "xinhua",
    "kyodo", "kyodo news", "jiji", "yonhap", "pti", "ians", "ani", "aap", "australian associated press",
    "canadian press", "cp", "pa", "pa media", "press association", "upi", "united press international",
    "bloomberg", "bloomberg news", "anadolu", "anadolu agency", "aa", "notimex", "télam", "telam", "ips",
    "tribune news service", "tribune content agency", "new york times news service", "nyt news service",
    "washington post news service", "cnn wire", "bang showbiz", "sipa", "kathpress", "idea", "apa-ots",
    "news service", "wire services", "wire reports", "staff and wire reports", "agencies", "agenturen",
    "agences", "agencias", "news agencies",
    # in their own scripts: TASS, RIA Novosti, Interfax, Ukrinform, UNIAN, Xinhua, China News Service,
    # Kyodo, Jiji, Yonhap
    "тасс", "риа новости", "интерфакс", "укрінформ", "укринформ", "уніан", "униан", "新华社", "中新社",
    "共同通信", "時事通信", "연합뉴스",
    # South and South-East Asia, the Middle East
    "press trust of india", "asian news international", "indo-asian news service", "united news of india",
    "bernama", "antara", "vna", "pna", "unb", "bss", "app", "irna", "isna", "tasnim", "wafa", "mena", "sana",
)
AGENCY = re.compile(
    r"^(?:the\s+|die\s+|l'|la\s+|el\s+)?(?:" + "|".join(sorted(AGENCIES, key=len, reverse=True)) + r")"
    r"(?:\s+(?:staff|news|reporters?|correspondents?|reports?|wire|newswire))?$",
    re.I,
)
#: Words that make a byline part an organisation: desks, boards, teams, newsrooms, wires, and the
#: nouns that name publications and institutions (not people) in the languages the extractor reads.
ORGANISATION_WORD = re.compile(
    r"(?:^|[\s-])(?:editorial\s+board|editorial|editors|redaktion|redaktionsteam|rédaction|redaction|redacción"
    # the newsroom in Nordic, Dutch, Slavic, Baltic, Finnish, Hungarian, Albanian, Greek, Russian, Ukrainian,
    # Arabic and Persian; "agency" in Russian, Arabic and Persian
    r"|redaktionen|redaksjonen|redactie|redakcja|redakce|redakcia|uredni[šs]tvo|redakcija|toimitus"
    r"|szerkesztős[ée]g|redaksia|σύνταξη|редакция|редакція|редакција|агентство|وكالة|خبرگزاری"
    r"|redaccion|redazione|newsroom|newsdesk|news\s+desk|desk|nachrichtenredaktion|team|wire|wires|news\s+service"
    r"|agency|agencies|agentur|agenturen|agence|agences|agencia|agencias|ag[êe]ncia|ag[êe]ncias|agenzia|reda[çc][ãa]o"
    r"|jornal|revista|corriere|gazzetta|not[íi]cias|gmbh|inc|ltd|llc|e\.\s?v|verlag|online"
    # companies' legal forms that no name ends with
    r"|plc|llp|pty|sarl|kft|d\.o\.o|s\.r\.o|sp\.\s?z\s?o\.o|s\.p\.a|b\.v|n\.v"
    r"|news|nachrichten|noticias|courier|times|herald|tribune|gazette|journal|chronicle|daily|observer|telegraph"
    r"|examiner|sentinel|dispatch|inquirer|zeitung|anzeiger|kurier|rundschau|tagblatt|diario|peri[oó]dico|gaceta"
    r"|heraldo|magazin|magazine|radio|tv|fernsehen|media|network|verband|institut|institute|stiftung|foundation"
    r"|association|society|council|ministry|ministerium|department|university|universit[äa]t|club|verein|bund"
    r"|amt|deutschland|group|gruppe|company|corporation|blog)(?:$|[\s.,-])",
    re.I,
)
#: A person's name as bylines write it: two to four capitalised words (particles allowed), or a user name.
NAME_WORD = r"(?:[^\W\d_a-z][\w'’.-]*|de|da|del|della|di|do|dos|du|la|le|van|von|der|den|ten|ter|zu|y|e|bin|al|el)"
NAME_LIKE = re.compile(rf"^[^\W\d_a-z][\w'’.-]*(?:\s+{NAME_WORD}){{1,3}}$|^[a-z][a-z0-9_.-]{{2,30}}$")
#: "Staff" as a credit: alone, first ("Staff reports"), or after the outlet in lower case ("Reuters staff");
#: "Courier Staff" ("JERUSALEM POST STAFF") is a credit only when "Courier" is the site's name ("Jörg Staff"
#: is a person).
STAFF = re.compile(r"(?i:^staff\b)|\sstaff$")
STAFF_AFTER = re.compile(r"^(.+?)\s+(?:Staff|STAFF)$")
#: A domain name used as a byline ("Fluessiggas.de", "auto-motor.at Redaktion").
DOMAIN = re.compile(r"\b[\w-]+\.(?:(?i:com|de|at|ch|org|net|fr|es|it|nl|be|co\.uk|uk|info|pl|eu|io)\b"
                    r"|(?:[\w-]+\.)*[a-z]{2,6}$)")  # any host name a byline is all of ("a1plus.am", "Avaz.ba")
#: The article that begins the name of many a publication ("The Guardian", "Le Monde", "El País", "Die Zeit").
PUBLICATION_ARTICLE = re.compile(r"^(?:the|le|la|les|el|los|las|il|lo|die|der|das|het|o|os|a|as)\s+\S", re.I)
#: A name led by the English article, its words capitalised: a publication or body ("The Washington
#: Post", "The Conversation", "The Hill"), never a person's name; but "The Rev. Jane Doe" is one,
#: and "The Russian" of "The Russian and Syrian defense ministries" the start of a sentence
#: (:func:`is_publication_name`).
THE_NAME = re.compile(
    r"^(?:The|THE)\s+(?!(?i:rev|revd|reverend|hon|honourable|honorable|right|rt|very|most|late|lord|lady|dr)\b)"
    r"[^\W\d_a-z][\w'’.&-]*(?:\s+(?:[^\W\d_a-z][\w'’.&-]*|of|and|for|&)){0,5}$"
)
#: A short word of letters ("AFP", "SID", "VZS", "ČTK", "РБК"; with a letter after a hyphen, "SP-X"): in
#: capitals, an agency or a body, not a person ("JI-WON" of a Korean name in capitals is no such word).
ACRONYM = re.compile(r"^(?:[^\W\d_]{2,4}|[^\W\d_]{1,3}-[^\W\d_])$")
#: An agency's name and one of its services ("dpa-AFX", "dpa-infocom"); "Sid-Ahmed" is a name.
AGENCY_SERVICE = re.compile(r"^([^\W\d_]+)-[^\W\d_]+$")
#: Words after an agency's name that name no one ("Reuters staff").
AGENCY_TAIL = re.compile(r"\s+(?:staff|news|reporters?|correspondents?|reports?|wire|newswire)$", re.I)


def is_agency(part: str) -> bool:
    """A news agency or wire service ("Reuters", "The Associated Press", "dpa", "wire reports"),
    also with a service's name after a hyphen ("dpa-infocom", "AFP-JIJI")."""
    part = part.strip()
    service = AGENCY_SERVICE.match(part)
    if service and (service[1].islower() or service[1].isupper()):
        part = service[1]
    return bool(AGENCY.match(part))


def is_acronym(word: str) -> bool:
    """A short word in capitals ("AFP", "ČTK"): an agency or a body's initials."""
    return bool(ACRONYM.match(word)) and word.isupper()


#: Roman numerals that end a name ("John Smith III"), not an acronym.
NUMERALS = frozenset({"II", "III", "IV", "VI", "VII", "VIII"})


def organisation_at_end(part: str) -> tuple[str, str] | None:
    """The name and the organisation of a byline that sets no mark between them ("ZEKE MILLER
    Associated Press", "Jane Doe AP", "Anna Muster dpa", "Anna Muster CNN", "KENNETH P. VOGEL
    The New York Times"), else None: an agency's name of two words, or one word in capitals or
    lower case, an acronym, or a publication led by its article, after a person's name of two
    words or more. "Michael Bloomberg" is one person, "John Smith III" too, "Metric Media News
    Service" one organisation."""
    words = part.split()
    for start in range(2, len(words)):
        head, tail = " ".join(words[:start]), " ".join(words[start:])
        size = len(words) - start
        if size <= 4 and (is_agency(tail) and (size > 1 or tail.isupper() or tail.islower())
                          or size == 1 and is_acronym(tail) and tail not in NUMERALS
                          or size > 1 and tail[:1].isupper() and PUBLICATION_ARTICLE.match(tail)
                          and is_organisation(tail)):
            return (head, tail) if name_like(head) and not is_organisation(head) else None
    return None


def is_publication_name(part: str) -> bool:
    """A name led by "The", its words capitalised ("The Washington Post"); a byline writes
    such an outlet last or apart ("Jane Doe, The Hill", "Jane Doe for The Conversation")."""
    return THE_NAME.match(part.strip()) is not None


def name_like(part: str) -> bool:
    """Written like a person's name ("Helge Fahrnberger", "José de la Cruz", "gnaddrig")."""
    return bool(NAME_LIKE.match(part.strip()))


def is_organisation(part: str, site_keys: Iterable[str] = (), *, typed: bool = False) -> bool:
    """An agency, a desk or board ("Staff", "Editorial Board", "Redaktion"), a publication or
    institution, a domain name, an acronym; or, when not written like a person's name, the
    site's own name (``site_keys`` as :func:`archiver.text.text_key` gives them) or any name
    that structured data types as an organisation (``typed``: personal sites often call
    themselves an Organization)."""
    part = part.strip()
    if not part:
        return False
    if is_agency(part) or ORGANISATION_WORD.search(part) or DOMAIN.search(part) or is_acronym(part):
        return True
    if typed and any(is_acronym(word) for word in part.split()):
        return True  # "CBS Detroit", typed as an Organization: a station, not a person
    site_keys = set(site_keys)
    if PUBLICATION_ARTICLE.match(part) and text_key(part) in site_keys:
        return True  # "Le Monde", "El Colombiano" of elcolombiano.com: a paper, however it is written
    staff = STAFF_AFTER.match(part)
    if STAFF.search(part) or (staff and (is_agency(staff[1]) or _in_site_name(staff[1], site_keys))):
        return True
    return (typed or _is_site(part, site_keys)) and not name_like(part)


def _is_site(part: str, site_keys: set[str]) -> bool:
    """The site's name ("Solarserver" of solarserver.de)."""
    key = text_key(part)
    return bool(key) and any(key == site or (len(site) > 3 and key.startswith(site)) for site in site_keys)


def _in_site_name(part: str, site_keys: set[str]) -> bool:
    """The site's name or a word of it ("Courier" of "The Lakeside Courier")."""
    key = text_key(part)
    return len(key) >= 4 and any(key in site for site in site_keys)


#: Short words that a name in capitals writes in capitals too, but that are no initials.
SMALL_WORDS = frozenset({"THE", "OF", "AND", "FOR", "DER", "DIE", "DAS", "LA", "LE", "EL", "DE", "DU", "DI"})


def credit_name(part: str) -> str:
    """How a credit is recorded: the page's words, an agency without "staff", a leading "the"
    capitalised, an all-caps name over four letters in title case but for its initials ("REUTERS" →
    "Reuters", "USA TODAY" → "USA Today")."""
    name = re.sub(r"\s+", " ", part).strip(" .,;:|-–—")
    if is_agency(name) and AGENCY_TAIL.search(name):
        name = AGENCY_TAIL.sub("", name)
    if name[:4] == "the ":
        name = "The " + name[4:]
    if name.isupper() and len(name.replace(" ", "")) > 4:
        name = " ".join(word if len(word) <= 3 and is_acronym(word) and word not in SMALL_WORDS else word.title()
                        for word in name.split())
    return name


#: A wire story's dateline: the place in capitals, the agency in brackets, a dash
#: ("WASHINGTON (AP) —", "HAYWARD, Calif. (AP) —", "LOS ANGELES (Reuters) -", "BERLIN (dpa) -").
DATELINE = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’-]{1,40}(?:,\s*[^\n(]{1,30})?\s*\(([^()\n]{2,40})\)\s*[-–—:]\s")
#: Paragraphs of a text looked at for the dateline: the first, or the one after a title line.
DATELINE_LINES = 2
#: The agency that closes an article in brackets ("... contro i 222 di Donald Trump. (ANSA).").
CLOSING_CREDIT = re.compile(r"\(([^()\n/,;]{2,30})\)\.?\s*$")


#: A closing line that names the story's source: "Quelle: dpa", "Source : AFP", "Mit Material
#: von dpa und AFP", "Avec AFP", the copyright of syndicated copy ("© dpa-infocom, dpa:230301-99-...").
CLOSING_SOURCE = re.compile(
    r"^(?:(?:quelle|source|sources|fuente|fuentes|fonte|źródło|источник|bron|kilde|källa|lähde|forrás|kaynak"
    r"|zdroj|sursa)\s*:|mit\s+material\s+(?:von|der)|with\s+(?:material|reporting)\s+from|con\s+información\s+de"
    r"|avec|©)\s*(.{2,80})$",
    re.I,
)
#: The agency's sign-off and the editor's initials that close German wire copy ("dpa/jd", "AFP/dpa/mm").
AGENCY_SIGNOFF = re.compile(r"^([A-Za-z]{2,6}(?:/[A-Za-z]{2,6})*)/[a-z]{2,4}$")
#: Closing lines looked at for the source.
CLOSING_LINES = 2


def _closing_agencies(line: str) -> list[str]:
    """The agencies a closing line names as the story's source."""
    line = line.strip()
    source = CLOSING_SOURCE.match(line)
    signoff = AGENCY_SIGNOFF.match(line)
    value = source.group(1) if source else signoff.group(1) if signoff else ""
    parts = (p.strip(" .") for p in re.split(r"[/,;&:]|-(?=[a-z])|\s(?:und|and|et|y|e|i)\s", value))
    return list(dict.fromkeys(credit_name(p) for p in parts if p and is_agency(p)))


def dateline_credit(text: str) -> str | None:
    """The news agency a story's text credits where wire copy does: in the dateline that opens
    it ("MÜNCHEN (dpa/lby) -": dpa and its regional desk), alone in brackets at its end
    ("(vyp/kna)" there is a desk's initials), or in a closing line ("Quelle: dpa", "dpa/jd",
    "© dpa-infocom ...")."""
    text = text.strip()
    if not text:
        return None
    lines = [line for line in text.split("\n", DATELINE_LINES) if line.strip()][:DATELINE_LINES]
    dateline = next((m for line in lines if (m := DATELINE.match(line))), None)  # under a title line
    if dateline:
        agencies = [p for p in (p.strip() for p in re.split(r"[/,;]", dateline.group(1))) if is_agency(p)]
        if agencies:
            return ", ".join(credit_name(a) for a in agencies)
    closing = CLOSING_CREDIT.search(text.rsplit("\n", 1)[-1])
    if closing and is_agency(closing.group(1).strip()):
        return credit_name(closing.group(1))
    for line in text.rsplit("\n", CLOSING_LINES)[-CLOSING_LINES:][::-1]:
        agencies = _closing_agencies(line) if len(line) <= 100 else []
        if agencies:
            return ", ".join(agencies)
    return None
