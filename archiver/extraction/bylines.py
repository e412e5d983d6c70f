"""Author names: cleaning byline strings and choosing among the page's candidates.

``clean_byline("By JANE DOE and John Smith, Staff Writers | July 5, 2018")``
gives ``["Jane Doe", "John Smith"]``. Authors are people only: agencies, desks and the
site's name in a byline are its credit (``split_byline("Opinion by Jane Doe and John
Smith with Reuters")`` gives people ``["Jane Doe", "John Smith"]``, credits ``["Reuters"]``;
what counts as an organisation is :mod:`archiver.extraction.credits`' business).
:func:`choose_authors` weighs where each candidate came from and how many sources agree;
:func:`choose_credit` picks the credit that goes with the chosen authors. Pure functions,
no I/O.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from archiver.extraction.credits import (
    credit_name, is_agency, is_organisation, is_publication_name, name_like, organisation_at_end,
)
from archiver.text import text_key

EMAIL = re.compile(r"\S+@\S+\.\w+")
#: An address followed by the name it belongs to, as RSS writes an author.
EMAIL_NAME = re.compile(r"^\S+@\S+\.\w+\s*\(([^()]+)\)$")
TAG = re.compile(r"<[^<>]{1,200}>")
HANDLE = re.compile(r"(?<!\w)@\w{1,30}")
URLISH = re.compile(r"^(?:https?:|www\.|/)|\.(?:com|org|net|html?)\b|(?<![\w-])(?:https?|www)(?![\w-])", re.I)
PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
#: What introduces an organisation's share in a byline ("con información de EFE", "mit Material von dpa",
#: "Do UOL").
CREDIT_LEAD = re.compile(
    r"^(?:(?:con\s+)?informaci[oó]n\s+de|(?:with\s+)?(?:reporting|material|files)\s+(?:by|from)|additional\s+reporting\s+by"
    r"|(?:mit\s+)?material\s+(?:von|der)|for|special\s+to|d'apr[eè]s|selon|fuente:?|source:?|quelle:?|d[oa]s?)\s+",
    re.I,
)
#: "Published" in the languages the extractor reads, and the words that follow it before a name.
PUBLISHED_WORDS = (r"published|veröffentlicht|publiziert|publié|publicerad|publiceret|publisert|julkaistu|pubblicato"
                   r"|gepubliceerd|opublikowano|опубликовано")
AFTER_PUBLISHED = r"by|von|par|por|da|door|av|af|przez"
PREFIX = re.compile(
    r"^(?:(?:posted|written|reported|reporting|words|story|text|photos?|compiled|edited"
    r"|verfasst|geschrieben|ein\s+beitrag|von|vom|par|por|di|door|av|af|texto|testo|autor(?:in)?"
    r"|auteur|author(?:s)?|by|from|escrito|escribe|escreve|publicado|gepostet|bearbeitet|eingestellt|geplaatst|postado"
    r"|oleh|penulis|scritt[oa]|a\s+cura"
    rf"|{PUBLISHED_WORDS})\b(?:\s+(?:by|von|par|por|de|di|da|door|av|af|przez))?"
    r"|by)\s*[:.\-]?\s+",
    re.I,
)
#: The lead of a Chinese or Japanese byline, with full-width punctuation: "文／記者 王小明" (text /
#: reporter), "作者：王小明" (author), "撰文：" (written by); not an editor's "责任编辑：".
CJK_LEAD = re.compile(r"^(?:文\s*[/／]\s*)?(?:记者|記者)\s*|^(?:作者|撰文|文)\s*[:：/／]\s*")
#: A kind of piece before the name: "Opinion by", "Analysis by", "A review by", "Story and photos by",
#: "Kommentar von", "Análisis de", "Une tribune de" (any word before "by", "par", "por"; known
#: words before "von", "de", "di", which also begin names).
GENRE_PREFIX = re.compile(
    r"^(?:(?:an?|the|ein(?:e)?|une?|una?)\s+)?(?:(?:[^\W\d_]+\s+(?:(?:and|&|und|et|y)\s+)?){0,2}[^\W\d_]+\s+(?:by|par|por)"
    r"|(?:kommentar|analyse|essay|gastbeitrag|gastkommentar|interview|reportage|glosse|kolumne|meinung|kritik"
    r"|rezension|opini[oó]n|an[aá]lisis|cr[oó]nica|columna|tribuna|editorial|entrevista|reportaje|rese[nñ]a"
    r"|tribune|chronique|[ée]ditorial|entretien|critique|commento|analisi|intervista|recensione)\s+(?:von|de|di|del))"
    r"\s*:?\s+(?=\S)",
    re.I,
)
#: The paper's own reporter before the name: "Von unserem Korrespondenten Max Muster", "Door onze
#: redacteur Jan Jansen", "De notre envoyé spécial Jean Dupont", "By our correspondent Jane Doe".
OUR_ROLE = re.compile(
    r"^(?:(?:von|by|from|door|van|de|par|por|di|da)\s+)?(?:unserem|unserer|unseren|our|onze|notre|nos|nuestro|nuestra"
    r"|nuestros|nostro|nostra|nostri)\s+(?:(?:staff|special|chief|senior|political|foreign|own)\s+)?"
    r"(?:redakteur(?:in)?|korrespondent(?:in|en)?|mitarbeiter(?:in)?|reporter(?:in)?|autor(?:in)?|correspondent(?:e|s)?"
    r"|redacteur|verslaggever|rédacteur|rédactrice|envoy[ée]e?\s+sp[ée]ciale?|corresponsal(?:es)?|enviad[oa]\s+especial"
    r"|inviat[oa](?:\s+special[ei])?|writer)\b\s*",
    re.I,
)
LEADING_LABEL = re.compile(r"^(?:author|autor|auteur|by|von|text|writer|reporter)\s*:\s*", re.I)
#: What credits pictures, not text ("Fotos: Bob Lee", "Фото: Алексей Меринов").
PICTURE_WORDS = r"fotos?|photos?|bilder?|illustrations?|grafik|images?|фото"
#: Who checks, reviews or translates a piece, not its writer: "Medically reviewed by", "Fact
#: checked by", "Translated by".
CHECKERS = (r"(?:(?:medically|medical|expertly|clinically)\s+reviewed|fact[- ]?checked|checked|verified"
            r"|translated|übersetzt|traduit|traducido|tradotto)")  # a critic's "Reviewed by" wrote the review
#: The checker before the writer, set apart ("Medically reviewed by John Roe, MD — Written by Jane Doe").
CHECKER_FIRST = re.compile(rf"^{CHECKERS}\s+(?:by|von|par|por)\s.*?\s(?:\||•|·|—|–|-{{1,2}})\s+(?=\S)", re.I)
#: A byline that names only who checked the piece.
CHECKER_ALONE = re.compile(rf"^{CHECKERS}\s+(?:by|von|par|por)\s", re.I)
#: Where a byline stops holding names: dates, separators, "Updated", "for <Outlet>".
CUT = re.compile(
    r"\s(?:\||•|·|—|–|-{1,2})\s|\s(?:on|am|le|el|il|op)\s+(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|mon|tue|wed|thu|fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi"
    r"|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)[a-zäé]*\.?[\s,])"
    r"|\b(?:(?:last|zuletzt)\s+)?(?:updated|posted on|last modified|aktualisiert|mis à jour|uppdaterad|opdateret"
    r"|oppdatert|päivitetty|aggiornato|actualizado|atualizado|bijgewerkt|zaktualizowano|aktualizováno|frissítve"
    r"|обновлено)(?!\w)"
    # a publication word dates the byline, unless it leads the name ("Pubblicato da Mario Rossi")
    rf"|\b(?:(?:first|originally|zuerst)\s+)?(?:{PUBLISHED_WORDS})(?!\w)(?!\s+(?:{AFTER_PUBLISHED})\s)"
    r"|\s+\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\b\d{1,2}\.?\s+(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)[a-zä]*\.?\s+\d{4}"
    r"|\b\d{1,2}:\d{2}\b|\s+\bfor\s+(?:the\s+)?[A-Z]|\bin\s+(?:news|politics|sports?|business|opinion)\b"
    r"|\s(?:(?-i:said)|says|sagt|schreibt|wrote|schrieb|stand:?|\d+\s+min)(?:\s|$)"  # "Edward Said" is a name
    r"|\s*[;,.]\s*(?:editing|edited|redigiert)\s+(?:by|von)\s|,?\s+special\s+to\s"  # Reuters' "; Editing by"
    # who checked, reviewed or translated the piece after its writer
    rf"|[.,;]?\s+{CHECKERS}\s+(?:by|von|par|por)\s"
    r"|\s(?:kontakt|contact|contacto|kontaktieren)(?:\s|:|$)"  # "Af Ritzau Kontakt redaktionen"
    # the writer's social links and controls inside the byline element ("Jane Doe Follow", "Jane Doe Twitter")
    r"|\s(?:(?:on|auf|sur|en)\s+)?(?:twitter|facebook|linkedin|instagram|e-?mail|follow|folgen|suivre|seguir)(?:\s|:|$)"
    rf"|\b(?:{PICTURE_WORDS})\s*(?::|\b(?:von|by|de|par)\b)"
    r"|[.,;]?\s+(?:photo(?:graph)?s?|pictures|images|illustrations?|videos?|fotos|bilder|grafiken?)\s+(?:by|von|par|por|de)\s"
    r"|\b(?:vor|il y a|hace|prije|pre|przed|před)\s+\d+\s|\b\d+\s+(?:minutes?|hours?|days?|mins?|hrs?)\s+ago\b",
    re.I,
)
#: A verb of saying that ends the string: a comment's header ("stephangoeldi says:") or a
#: quote's speaker. "said" only in lower case or before a colon: "Edward Said" is a name.
SPEECH_END = re.compile(r"\s(?:(?i:says|sagt|sagte|schreibt|schrieb|wrote|writes|a écrit|dijo|escribió)\s*:?"
                        r"|said\s*:?|(?i:said)\s*:)$")
#: A sponsor's line where a byline stands: advertising, not the writer ("Sponsored by Acme").
SPONSOR = re.compile(r"(?:(?:sponsored|presented|powered|paid\s+for|brought\s+to\s+you)\s+by|in\s+partnership\s+with"
                     r"|(?:sponsored|paid|partner|advertiser)\s+(?:content|post|story|article)\s+(?:by|from)"
                     r"|(?:gesponsert|präsentiert|unterstützt)\s+von|en\s+partenariat\s+avec|patrocinado\s+por)\s", re.I)
#: What joins names: punctuation, "and" or "with" in several languages ("and"'s one-letter
#: forms in lower case only, as "E." and "I." are initials), and a slash between two names
#: ("Peter Maahn/SP-X").
SPLIT = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bund\b|\bet\b|(?-i:(?<!\S)[yei](?!\S))|\bu\.|\ben\b|\bog\b"
                   r"|\bwith\b|\bmit\b|\bavec\b|\bcon\b|(?<=[^\W\d_])\s*/\s*(?=[^\W\d_]))\s*", re.I)
#: Where a byline's parts are set apart: " | Reuters", " - AFP", " — dpa".
SEPARATOR = re.compile(r"\s+(?:[|·•]|[-–—]{1,2})\s+|\s+[|·•]$|^[|·•]\s+")
ROLE_WORDS = (
    "staff", "writer", "writers", "editor", "editors", "reporter", "reporters", "correspondent",
    "correspondents", "contributor", "contributing", "columnist", "senior", "chief", "managing",
    "associate", "assistant", "executive", "deputy", "political", "sports", "news", "editorial",
    "freelance", "special", "guest", "photographer", "photojournalist", "producer", "director",
    "founder", "co-founder", "ceo", "president", "journalist", "analyst", "intern", "author",
    "redakteur", "redakteurin", "korrespondent", "korrespondentin", "autorin",
    "rédacteur", "rédactrice", "journaliste", "envoyé", "spécial", "redactor", "periodista",
    "corresponsal", "giornalista", "fellow", "researcher", "professor", "desk",
    "national", "international", "business", "politics", "health", "science", "technology",
    "tech", "culture", "entertainment", "opinion", "world", "local", "metro", "digital",
    "online", "web", "content", "social", "media", "data", "investigative", "video",
    "at", "large", "general", "assignment", "bureau", "head", "of", "the", "for", "posts",
    "chefredakteur", "chefredakteurin", "redakteurin", "volontär", "volontärin", "autor", "redaktor", "redaktorka",
    "redaktori", "редактор", "記者", "记者", "기자", "文", "撰文",
    "chefreporter", "reporterin", "journalistin", "herausgeber", "herausgeberin", "publisher", "verleger",
    "phd", "ph.d", "md", "mba", "msc", "bsc", "rn", "rd", "dds", "esq", "cfa", "cpa", "cfp", "jd", "mph", "dvm", "rdn",
    "critic", "critics", "arts", "art", "film", "movie", "music", "theater", "theatre", "dance", "food",
    "restaurant", "books", "wine", "kritiker", "kritikerin", "critique", "crítico", "crítica", "chef",
)
#: Professions written before a name as a title ("Autor: Rechtsanwalt Sebastian Einbock").
PROFESSIONS = (
    "rechtsanwalt", "rechtsanwältin", "fachanwalt", "fachanwältin", "anwalt", "anwältin", "notar", "notarin",
    "steuerberater", "steuerberaterin", "lawyer", "attorney", "avocat", "avocate", "abogado", "abogada",
    "記者", "记者", "기자",  # "記者 山田太郎": the reporter's title before the name in Japanese and Chinese
)
ROLE_SET = frozenset(ROLE_WORDS + PROFESSIONS)
#: A part of a byline ending in one of these is a job title ("Climate Reporter"), not a name.
TITLE_ENDINGS = frozenset({
    "writer", "writers", "editor", "editors", "reporter", "reporters", "correspondent",
    "correspondents", "columnist", "contributor", "photographer", "producer", "journalist",
    "redakteur", "redakteurin", "korrespondent", "korrespondentin", "intern", "analyst", "critic", "kritiker",
    "kritikerin", "critique", "crítico", "crítica",
})
#: A role joined to an outlet before the name ("FOCUS-Online-Experte Robin Tschöpe",
#: "SPIEGEL-Korrespondentin Anna Muster").
ROLE_LEAD = re.compile(
    r"^[\w.]+(?:-[\w.]+)*-(?:experte|expertin|autor|autorin|redakteur|redakteurin|korrespondent|korrespondentin"
    r"|reporter|reporterin|kolumnist|kolumnistin|chefredakteur|chefredakteurin)\s+(?=\S)",
    re.I,
)
SEGMENT = re.compile(r"\s+[|·•]\s+|\s+[|·•]$|^[|·•]\s+")
#: A label before the names ("Text und Interview:"); one with a comma is a name and a credit's label
#: ("Anna Muster, Fotos: Bob Lee").
LABEL = re.compile(r"^([^:,]{1,30}):\s+(?=\S)")
PICTURE_LABEL = re.compile(rf"^(?:{PICTURE_WORDS})$", re.I)
#: Where a reporter files from, after the name ("Jemima Kelly in London", "AFP in Paris").
PLACE_TAIL = re.compile(r"\s+(?-i:in|aus|à)\s+[^\W\d_a-z][\w'’.-]*(?:\s+[^\W\d_a-z][\w'’.-]*){0,2}$")
USERNAME = re.compile(r"^[A-Za-z][\w.\-]{2,30}$")
ROLE_TAIL = re.compile(
    r"(?:,|\s)\s*(?:(?:" + "|".join(sorted(ROLE_WORDS, key=len, reverse=True)) + r")\b[\s,]*){1,6}$", re.I
)
#: Weekdays, which a date line leaves after a name when the cut takes its date ("Malcolm Owen
#: Monday, November 18").
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "montag",
                      "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "lundi", "mardi",
                      "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lunes", "martes", "miércoles",
                      "jueves", "viernes", "sábado", "domingo"})
#: The kinds of pieces that sites print as a label beside the byline ("OPINION | JANE DOE",
#: "Analyse · Anna Muster"): alone they name nobody.
GENRES = frozenset({
    "opinion", "analysis", "commentary", "perspective", "column", "guest column", "guest post", "review",
    "editorial", "essay", "interview", "explainer", "feature", "exclusive", "op-ed", "letter", "letters",
    "kommentar", "meinung", "analyse", "gastbeitrag", "gastkommentar", "kolumne", "glosse", "reportage",
    "tribune", "chronique", "éditorial", "opinión", "análisis", "columna", "tribuna", "commento", "analisi",
    "opinione", "opinie", "recensione", "rezension", "kritik",
})
#: Words that byline markup holds but that name nobody.
GENERIC = GENRES | frozenset({
    "admin", "administrator", "wordpressadmin", "webmaster", "user", "author", "contributor",
    "contributer", "none", "null", "by", "name", "text", "your name", "e-mail", "website",
    "more", "read more", "view all posts", "all posts", "posts", "about", "home", "share",
    "follow", "facebook", "twitter", "email", "print", "comments", "comment", "leave a comment",
    "see all", "more articles", "view profile", "about the author", "written by", "profile",
    "alle beiträge", "alle artikel", "mehr artikel", "zum autor", "autorenprofil", "tous les articles",
    "voir le profil", "todos los artículos", "ver perfil", "más artículos",
    # the controls beside a byline: read aloud, listen, share, save
    "vorlesen", "text vorlesen", "artikel vorlesen", "anhören", "artikel anhören", "listen",
    "listen to this article", "teilen", "drucken", "merken", "speichern", "save", "play", "stop",
    "écouter", "partager", "escuchar", "compartir",
    # the words that lead a byline or a date, left alone when the name or the date is cut away ("von am 20.06.2018")
    "von", "vom", "par", "por", "door", "av", "af", "di", "de", "da", "from", "am", "um", "on", "at", "le", "el",
    "posted", "written", "published", "publicado", "publicada", "publié", "publiée", "veröffentlicht", "pubblicato",
    "escrito", "escribe", "gepostet", "geplaatst", "postado",
    # links to the next or the previous story beside a byline
    "weiter", "weitere artikel", "next", "previous", "next article", "previous article", "nächster artikel",
    "vorheriger artikel", "zurück", "suivant", "précédent", "siguiente", "anterior",
})
PARTICLES = frozenset({"de", "da", "del", "della", "dei", "degli", "di", "do", "dos", "das", "des", "du", "la",
                       "le", "van", "von", "der", "den", "ten", "ter", "zu", "bin", "ibn", "bint", "al", "el",
                       "los", "las", "y", "e"})
NAME_CHARS = re.compile(r"^[\w'’.\-\s]+$", re.UNICODE)
TRIM = " \t\n\r.,;:|·•-–—\"'“”‘’()[]*/"

#: A URL path segment that leads to people's profiles ("/author/jane-doe", "/autoren/...").
PROFILE_SEGMENT = re.compile(r"^(?:authors?|by|people|staff|profiles?|team|autor(?:en|in|innen)?|auteurs?|autores"
                             r"|journalists?|contributors?|columnists?|reporters?|writers?|bios?|redaktion|equipo"
                             r"|equipe)$")
#: The slug of a person's name: one to four words, no digits ("jane-doe", "samuel-l-brooks").
PERSON_SLUG = re.compile(r"^[^\W\d_]+(?:[-_.][^\W\d_]+){0,3}$")

#: How much each kind of source is trusted (higher is better).
SOURCE_WEIGHTS = {
    "ld-author": 5.0,
    "ld-creator": 3.0,
    "itemprop-author": 3.5,
    "parsely": 4.0,
    "sailthru": 4.0,
    "meta-author": 3.5,
    "meta-byl": 3.5,
    "dc-creator": 3.0,
    "rel-author": 3.0,
    "og-author": 3.0,
    "byline": 2.5,
    "trafilatura": 1.0,  # a guess from the whole page: right on 43% of half A's pages where it names someone
    "shown-byline": 2.0,  # "Von Anna Muster" beside the headline, without markup
    "dated-byline": 2.0,  # a name beside the date shown under the headline
    "end-byline": 2.0,  # "Von: Götz Warnke" after the article's text
    "labelled-byline": 2.0,  # "<h4>Autor</h4><p>Nikolai Huke</p>"
    "author-box": 1.5,  # the name heading the author's card after the post
    "reporting-credit": 1.5,  # "(Reporting by Jane Doe; Editing by John Roe)" after a wire story
    "profile-link": 2.5,  # a link by the headline to the profile its words name ("/author/jane-doe")
    "dateline": 2.0,  # "WASHINGTON (AP) —": the wire the story came from
    "twitter": 0.5,
}

#: The kind of evidence each source is, as records name it in ``authors_source``.
SOURCE_NAMES = {
    "ld-author": "jsonld", "ld-creator": "jsonld", "itemprop-author": "microdata", "parsely": "meta",
    "sailthru": "meta", "meta-author": "meta", "meta-byl": "meta", "dc-creator": "meta", "og-author": "meta",
    "twitter": "meta", "rel-author": "link", "profile-link": "link", "byline": "byline", "shown-byline": "shown",
    "dated-byline": "shown", "end-byline": "shown", "labelled-byline": "shown", "author-box": "byline",
    "reporting-credit": "shown", "dateline": "shown",
    "trafilatura": "trafilatura",
}

#: Kinds of evidence that the page shows to its readers, as it writes the names.
SHOWN_SOURCES = frozenset({"byline", "shown", "link"})

#: Marks the key of a group that names organisations only.
ORGANISATION_KEY = "\x00organisation:"
#: An organisation-only byline counts less than a person's: a page that names both was
#: written by the person (the organisation publishes or credits it).
ORGANISATION_WEIGHT = 0.4


@dataclass
class Authors:
    """The authors chosen for a page, and the kind of evidence that named them (:data:`SOURCE_NAMES`)."""

    names: list[str]
    source: str | None = None


@dataclass
class _Group:
    #: each way the candidates write the group's names: how often the page shows it to
    #: readers (a byline, a link), and how often any candidate gives it
    writings: dict[tuple[str, ...], tuple[int, int]]
    key: frozenset[str]
    score: float
    best_weight: float
    first_seen: int
    source: str  #: the most trusted source that gives this group
    meta_weight: float = 0.0  #: the weight of its best meta tag

    def weigh(self, weight: float, source: str) -> None:
        """Add a candidate's weight. A page's meta tags count once, as the best of them: a
        CMS writes one field into several ("Reuters Editorial" as author, og:author and
        sailthru.author), which is one piece of evidence, not three."""
        if SOURCE_NAMES.get(source) == "meta":
            self.score += max(0.0, weight - self.meta_weight)
            self.meta_weight = max(self.meta_weight, weight)
        else:
            self.score += weight
        if weight > self.best_weight:
            self.best_weight, self.source = weight, source

    @property
    def names(self) -> tuple[str, ...]:
        """The names as most candidates write them, then as the page shows them to readers:
        the byline's "Gàbor Muniér" over one meta tag's user name "gabor_munier"; the
        "Isabella.DiBiase" of two bylines over a meta tag's "Isabella DiBiase"."""
        return max(self.writings, key=lambda names: self.writings[names][::-1])


def _folded_key(name: str) -> str:
    """A name in one normal form and case: how a byline's repeats of a name are found."""
    return unicodedata.normalize("NFC", name).casefold()


def _person_key(name: str) -> str:
    """How two writings of one person compare: without accents, case, spaces or the
    separators of user names ("gabor_munier" and "Gàbor Muniér")."""
    return text_key("".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)))


def fix_case(name: str) -> str:
    """Title-case ALL-CAPS or all-lowercase names; keep mixed case as written."""
    letters = [c for c in name if c.isalpha()]
    if not letters or any(c.isdigit() for c in name):  # a user name: "freeman1984"
        return name
    if not (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
        return name
    if len(letters) <= 3 and all(c.isupper() for c in letters):
        return name  # initials or an acronym: "AP", "BBC"

    def cap(word: str) -> str:
        return word[:1].upper() + word[1:].lower() if word else word

    out = re.sub(r"[^\s\-'’]+", lambda m: cap(m.group(0)), name)
    return re.sub(r"\b(Mc)([a-z])", lambda m: m.group(1) + m.group(2).upper(), out)


def without_profession(text: str) -> str:
    """The name after the professions that lead it as a title ("Rechtsanwalt Sebastian
    Einbock" -> "Sebastian Einbock"); empty when the text is nothing but professions."""
    words = text.split()
    while words and words[0].casefold().strip(TRIM) in PROFESSIONS:
        words.pop(0)
    return " ".join(words)


def _strip_roles(part: str) -> str:
    previous = None
    while previous != part:
        previous = part
        part = ROLE_TAIL.sub("", part).strip(TRIM)
    words = part.split()
    if len(words) > 2 and words[-1].casefold() in WEEKDAYS:
        part = " ".join(words[:-1])  # two words stay: "Anna Sunday" is a name
    return part


def _is_name(part: str) -> bool:
    if not part or len(part) > 60:
        return False
    words = part.split()
    if any(c.isdigit() for c in part) and not (len(words) == 1 and USERNAME.match(part)):
        return False  # a date or a number; a user name like "freeman1984" is kept
    if sum(w not in PARTICLES for w in words) > 5 or not NAME_CHARS.match(part):
        return False
    low = part.casefold()
    if low in GENERIC or all(w.casefold() in ROLE_SET for w in words):
        return False
    if len(words) == 1 and (low in WEEKDAYS or NOT_NAME_WORDS.match(part)):
        return False  # "Wednesday" of "Wednesday, 08 Apr 2020 11:39 PM": a date line's weekday
    if URLISH.search(part):
        return False
    first = words[0]
    if first[:1].islower() and first not in PARTICLES and not part.islower():
        return False  # "deinen Hochzeitsbloggern": a phrase, not a name
    if not part.islower() and sum(w[:1].islower() and w not in PARTICLES and "-" not in w for w in words) >= 2:
        return False  # "Syrian defense ministries": words of a sentence
    if len(words) > 1 and words[0].casefold() in ("the", "der", "die", "das"):
        return False  # "The Washington Post": an article leads a publication or a phrase ("La Toya" may be a name)
    return True


#: One name written surname first: the surname (particles allowed), a comma, one or two given
#: names or initials ("Doe, Jane", "van der Berg, Anna M.").
SURNAME_FIRST = re.compile(r"^((?:(?:[a-z]{1,3}|[^\W\d_][\w'’-]*)\s+){0,3}[^\W\d_a-z][\w'’-]*),\s*"
                           r"([^\W\d_a-z][\w'’-]*\.?(?:\s+[^\W\d_a-z][\w'’-]*\.?)?)$")


def given_name_first(value: str) -> str:
    """Names a catalogue writes surname first ("Doe, Jane; Roe, John") as bylines write them
    ("Jane Doe; John Roe"); other values as they are. One comma and one word before it: "Jane
    Doe, John Roe" lists two people."""
    names = []
    for name in value.split(";"):
        name = name.strip()
        found = SURNAME_FIRST.match(name)
        if (found and all(w.casefold() in PARTICLES for w in found[1].split()[:-1])
                and not is_organisation(found[1]) and not is_organisation(found[2])):
            name = f"{found[2]} {found[1]}"
        names.append(name)
    return "; ".join(names)


def profile_link_name(text: str, path: str) -> str | None:
    """The text of a link when it names the person whose profile the link's path leads to
    ("Jane Doe" to "/author/jane-doe/", "/profile/janedoe"): a byline that no markup marks,
    confirmed by the site's own address for its author."""
    segments = [s for s in path.split("/") if s]
    if len(segments) < 2 or not PROFILE_SEGMENT.match(segments[-2].lower()) or not PERSON_SLUG.match(segments[-1]):
        return None
    name = name_line(text)
    return name if name and _person_key(name) == _person_key(segments[-1]) else None


#: One token as sites print user names: mixed case, digits or dots ("HansEhrlich", "freeman1984").
USER_NAME = re.compile(r"^(?=\w*[a-z][A-Z]|.*\d|.*\w[._]\w)[^\W\d][\w.\-]{2,30}$")
#: Words of a date line that are not names: weekdays, months written out or cut short with a
#: dot, "Uhr", "today". Months that are also first names ("May", "June", "Jan", "Juli") and
#: words that begin names ("Martin", "Monika", "Friedrich") are not among them.
NOT_NAME_WORDS = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|mo|di|mi|do|fr|sa|so)\."
    r"|january|february|march|september|october|november|december|januar|februar|märz|oktober|dezember"
    r"|(?:jan|feb|mär|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dez|dec)\."
    r"|uhr|heute|today|gestern|yesterday)$", re.I)


def name_line(text: str, *, led: bool = False) -> str | None:
    """The text when it holds nothing but one person's or user's name, as a byline printed
    without markup beside a date ("Kathrin Führes", "HansEhrlich"); else None. A single
    plain word is a name only when a byline word led to it (``led``: "von Olga"): alone
    it is as often a place ("Berlin, 26.01.2022")."""
    text = re.sub(r"\s+", " ", text).strip(TRIM)
    words = text.split()
    if not 1 <= len(words) <= 4 or text.casefold() in GENERIC:
        return None
    if len(words) == 1:
        return text if (led and words[0][:1].isupper() and NAME_CHARS.match(text)) or USER_NAME.match(text) else None
    if any(c.isdigit() for c in text) or not NAME_CHARS.match(text) or URLISH.search(text):
        return None
    if any(NOT_NAME_WORDS.match(w) or w.casefold() in ROLE_SET for w in words):
        return None
    return text if all(w[:1].isupper() or w in PARTICLES for w in words) else None


#: A byline's lead word before a capitalised word, where a date line comes first
#: ("Erhverv - 02. januar 2020 kl. 10:21 Af Ritzau").
LEAD_AFTER_DATE = re.compile(r"\d\D*?\s((?i:by|von|af|av|par|por|door)\s+[^\W\d_a-z].*)$")


def _name_segment(text: str) -> str:
    """Of "date · von X · in Category", the segment that names the author (not a label such
    as "Opinion", not an agency: "Associated Press | Jane Doe", not the reviewer before the
    writer); of "Section - date Af X", the text from "Af"."""
    text = CHECKER_FIRST.sub("", text)
    after_date = LEAD_AFTER_DATE.search(text)
    if after_date:
        text = after_date.group(1)
    segments = [seg.strip() for seg in SEGMENT.split(text) if seg.strip()]
    if len(segments) <= 1:
        return text
    for seg in segments:
        lead = PREFIX.match(seg) or LEADING_LABEL.match(seg)
        if lead and not CUT.match(seg[lead.end():]):
            return seg  # "von X"; not "Publicado hace 3 horas", a date line
    named = [seg for seg in segments
             if not CUT.match(seg) and not re.search(r"\d", seg) and seg.strip(TRIM).casefold() not in GENERIC]
    first = named[0] if named else segments[0]
    if is_organisation(first.strip(TRIM)):  # "Associated Press | Jane Doe": the name, if one follows
        return next((seg for seg in named if name_like(seg.strip(TRIM)) and not is_organisation(seg.strip(TRIM))),
                    first)
    return first


#: A byline string of this many one-word parts (organisations aside) lists tags or sections:
#: people are written with their first and last names.
TAG_LIST_WORDS = 3


@dataclass
class Byline:
    """What one byline string says: the people it names and the organisations it credits."""

    people: list[str]
    credits: list[str]


#: An initial in a name ("KENNETH P. VOGEL"): a person's, not an outlet's.
INITIAL = re.compile(r"(?:^|\s)[^\W\d_]\.(?:\s|$)")
#: What joins the two halves of a Spanish or Portuguese surname.
SURNAME_JOINS = frozenset({"y", "e"})


def _joined_parts(text: str) -> list[tuple[str, str]]:
    """The parts :data:`SPLIT` sets apart, each with the word or mark that joined it to the one
    before ("" for the first)."""
    out, start, joiner = [], 0, ""
    for match in SPLIT.finditer(text):
        out.append((joiner, text[start:match.start()]))
        start, joiner = match.end(), match.group(0).strip()
    out.append((joiner, text[start:]))
    return out


@dataclass
class _PartsReading:
    """The parts of one byline read in order ("Jane Doe", "Staff Writer", "Reuters"), each by
    the first kind it is, and what they named so far: whether a person came before or an
    outlet did tells a place or a surname's second half from a second person."""

    sites: set[str]
    typed_organisation: bool  #: structured data types the whole byline as an organisation
    credits: list[str]
    people: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    single_words: int = 0  #: one-word parts read as names: three or more are a list of tags
    credited: bool = False  #: an outlet came before
    after_person: bool = False  #: the part before named a person in full
    mixed_case: bool = False  #: a name so far was not written in capitals

    def role(self, part: str) -> bool:
        """A role alone: "Staff Writer", "contributing columnist"."""
        if all(w.casefold().strip(TRIM) in ROLE_SET for w in part.split()):
            self.roles.append(part)
            return True
        return False

    def where_the_role_is(self, joiner: str, before: str) -> bool:
        """ "corresponsal en Madrid": where the role is, not a second name ("en" also joins
        two names in Dutch)."""
        return joiner.casefold() == "en" and before.casefold().strip(TRIM) in ROLE_SET

    def without_wire(self, part: str) -> str:
        """The part without the agency that ends it ("Jane Doe AP"), which is credited."""
        wire = organisation_at_end(part)
        if not wire:
            return part
        self.credits.append(wire[1])
        return wire[0]

    def organisation(self, part: str, *, last: bool) -> bool:
        """An agency, a desk, the site, or a publication named last ("The Washington Post")."""
        if not (is_organisation(part, self.sites, typed=self.typed_organisation) or (last and is_publication_name(part))):
            return False
        if len(part.split()) <= 6 and not re.search(r"(?:^|\s)\d", part):  # not a date or a sentence
            self.credits.append(part)
        self.credited = True
        return True

    def title(self, part: str, index: int) -> bool:
        """A title after the name ("Jane Doe, Climate Reporter"), crediting the outlet that
        leads it ("AP White House Correspondent")."""
        if not index or part.split()[-1].casefold() not in TITLE_ENDINGS:
            return False
        if is_organisation(outlet := part.split()[0], self.sites):
            self.credits.append(outlet)
        return True

    def surname(self, joiner: str, part: str) -> bool:
        """The second half of a Spanish or Portuguese surname ("José Ortega y Gasset")."""
        if not (self.after_person and " " not in part and joiner in SURNAME_JOINS):
            return False
        self.people[-1] += f" {joiner} {part}"
        return True

    def place(self, joiner: str, part: str) -> bool:
        """One word after an outlet or after a person and a comma: where the outlet or the
        reporter is ("Reuters, London", "Von Anna Meier, Hamburg")."""
        return " " not in part and (self.credited or (self.after_person and joiner == ","))

    def person(self, joiner: str, part: str, *, last: bool) -> None:
        """A person's name, once the role around it is dropped; or what the role shows is none."""
        self.single_words += " " not in part
        self.after_person = False
        named = _strip_roles(part)
        if named != part and is_organisation(named, self.sites):
            self.credits.append(named)  # "CNN Business", "Bloomberg Opinion", "HT Correspondent": an outlet's desk
            return
        if named != part and " " not in named and part.split()[-1].casefold() in TITLE_ENDINGS:
            self.roles.append(part)  # "Court Reporter", "Crime Correspondent": a beat and a role, no name
            return
        if named != part:
            named = self.without_wire(named)  # "SETH BORENSTEIN AP Science Writer"
        if (self.mixed_case and joiner == "," and last and named.isupper() and " " in named
                and not INITIAL.search(named)):
            self.credits.append(named)  # "Mary Bowerman and Ryan W. Miller, USA TODAY": the people were not in capitals
            return
        if _is_name(named):
            self.people.append(fix_case(named))
            self.after_person = " " in named
            self.mixed_case = self.mixed_case or not named.isupper()

    def byline(self) -> Byline:
        """The people and the credits the parts named."""
        if self.single_words >= TAG_LIST_WORDS:
            return Byline([], [])  # "CSP / International / Photovoltaik / Speicher": the page's tags
        credits = self.credits
        if not self.people and not credits:
            credits = [r for r in self.roles[:1] if is_organisation(r)]  # "By Staff"
        return Byline(_unique(self.people), _unique([credit_name(c) for c in credits]))


def split_byline(raw: str | None, site_names: Iterable[str] = (), *, organisation: bool = False) -> Byline:
    """The people and the credited organisations of one byline string, cleaned, in order.

    ``site_names``: the site's names (a part naming the site is a credit, unless written like
    a person's name); ``organisation``: structured data types the string as an organisation
    (JSON-LD ``Organization``), so any part not written like a person's name is credit.
    """
    if not raw:
        return Byline([], [])
    text = TAG.sub(" ", html.unescape(str(raw))).replace("\u00a0", " ")  # "<a href=...>Jane Doe</a>" in JSON-LD
    text = re.sub(r"\s+", " ", text).strip()
    if not text or URLISH.match(text):
        return Byline([], [])
    if SPEECH_END.search(text) or SPONSOR.match(text):
        return Byline([], [])  # "stephangoeldi said:": a comment's header, or a quote's speaker; a sponsor
    if CHECKER_ALONE.match(text) and not CHECKER_FIRST.match(text):
        return Byline([], [])  # "Medically reviewed by Dr. John Roe": who checked it, not who wrote it
    addressed = EMAIL_NAME.match(text)
    if addressed:
        text = addressed[1]  # RSS's "jane@example.com (Jane Doe)"
    text = EMAIL.sub(" ", text)
    text = HANDLE.sub(" ", text)
    sites = {text_key(s) for s in site_names if text_key(s)}
    credits = [inner for match in PARENS.finditer(text)  # "Jean Dupont (AFP)"
               if is_organisation(inner := match.group(0)[1:-1].strip(), sites)]
    text = PARENS.sub(" ", text)
    named = _name_segment(text)
    credits += _credits_set_apart(text, sites)
    reading = _PartsReading(sites, organisation, credits)
    parts = _joined_parts(_names_text(named))
    for index, (joiner, part) in enumerate(parts):
        part = _bare_part(part, sites)
        if not part or reading.role(part) or reading.where_the_role_is(joiner, parts[index - 1][1] if index else ""):
            continue
        part = reading.without_wire(part)
        if (reading.organisation(part, last=index == len(parts) - 1) or reading.title(part, index)
                or reading.surname(joiner, part) or reading.place(joiner, part)):
            continue
        reading.person(joiner, part, last=index == len(parts) - 1)
    return reading.byline()


def _names_text(segment: str) -> str:
    """Of the byline segment that names the author, the text that holds the names: without
    labels ("Text und Interview:"), genres ("Opinion by"), the paper's own role ("Von unserem
    Korrespondenten"), lead words ("By", "Von"), and cut where names stop (a date, "Updated")."""
    text = LEADING_LABEL.sub("", CJK_LEAD.sub("", segment.strip(TRIM)))
    label = LABEL.match(text)
    if label and len(label.group(1).split()) <= 3 and not PICTURE_LABEL.match(label.group(1)):
        text = text[label.end():]  # "Text und Interview: Harald Willenbrock"
    text = OUR_ROLE.sub("", GENRE_PREFIX.sub("", text.strip(TRIM)))
    match = CUT.search(text)
    if match:
        text = text[: match.start()]
    text = PREFIX.sub("", text.strip(TRIM)).strip(TRIM)
    return PREFIX.sub("", text).strip(TRIM)


#: The outlet that owns the writer, before the name ("CNN's Jane Doe", "ABC News' John Roe").
OUTLETS_WRITER = re.compile(r"^(?P<outlet>[^\W\d_a-z][\w.&-]*(?:\s+[^\W\d_][\w.&-]*){0,3}?)(?:['’]s|(?<=s)['’])"
                            r"\s+(?=[^\W\d_a-z])")


def _bare_part(part: str, sites: set[str]) -> str:
    """One joined part of the names, without what leads or trails a name: an agency's lead
    ("con información de", "for"), a lead word, a role or the outlet's name before it ("CNN's"),
    where the reporter files from ("in London") and a profession."""
    part = part.strip(TRIM)
    lead = CREDIT_LEAD.match(part)
    if lead and is_organisation(part[lead.end():], sites):
        part = part[lead.end():]  # "con información de Reuters", "mit Material von dpa"
    part = OUTLETS_WRITER.sub("", ROLE_LEAD.sub("", PREFIX.sub("", part).strip(TRIM)))
    return without_profession(PLACE_TAIL.sub("", re.sub(r"\s+", " ", part).strip(TRIM))) or part


#: The outlet a byline's writer wrote for ("Jane Doe for CNN", "Jane Doe, Special to The Post").
WRITTEN_FOR = re.compile(r"(?:^|\s)(?:for|special\s+to)\s+(\S.*)$", re.I)


def _credits_set_apart(text: str, sites: set[str]) -> list[str]:
    """Organisations in segments of their own ("Jane Doe | Reuters", "Anna Muster - dpa"),
    and the outlet a segment says its writer wrote for ("Jane Doe for The Conversation") or
    belongs to ("CNN's Jane Doe")."""
    segments = SEPARATOR.split(text)
    credits = []
    for segment in segments:
        segment = PREFIX.sub("", segment.strip(TRIM)).strip(TRIM)
        owner = OUTLETS_WRITER.match(segment)
        if owner:
            credits.append(owner["outlet"])
            continue
        written_for = WRITTEN_FOR.search(segment)
        if written_for and is_organisation(segment[:written_for.start()], sites):
            written_for = None  # "NJ Advance Media for NJ.com": one credit, as written
        if len(segments) == 1 and written_for is None:
            continue
        outlet = written_for[1].strip(TRIM) if written_for else segment
        if all(w.casefold() in ROLE_SET for w in outlet.split()):
            continue  # "Jane Doe - Staff Writer": a role, no outlet
        if len(outlet.split()) <= 5 and (is_organisation(outlet, sites) or is_publication_name(outlet)):
            credits.append(outlet)
    return credits


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = _folded_key(name)
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def clean_byline(raw: str | None, site_names: Iterable[str] = ()) -> list[str]:
    """The people named in one byline string, cleaned, in order, no repeats."""
    return split_byline(raw, site_names).people


def _site_like(name: str, sites: set[str]) -> bool:
    """The site's own name, or its start or end: a publication, or the blog of the one user
    it is named after; a JSON-LD Person named so is either, and weighs as little."""
    key = text_key(name)
    return bool(key) and any(key == s or (len(key) > 3 and (s.startswith(key) or s.endswith(key))) for s in sites)


def _without_site(names: list[str], sites: set[str]) -> list[str]:
    """Drop the site's own name from the end of a name ("Adam Aaronson PhillyVoice")."""
    kept = []
    for name in names:
        words = name.split()
        if len(words) > 2 and text_key(words[-1]) in sites:
            name = " ".join(words[:-1])
        kept.append(name)
    return kept


def _bylines(candidates: Iterable[tuple[str, str, str]], sites: set[str]) -> list[tuple[Byline, str, str]]:
    """Each usable candidate as a split byline, with its source and kind. trafilatura's guess
    of people is left out when it only repeats part of a byline of the page's that names no one: it
    reads the same byline element and keeps what follows a "by" ("Acme" of "Sponsored by
    Acme")."""
    out, guesses, naming_no_one = [], [], []
    for raw, source, kind in candidates:
        if source == "og-author" and URLISH.search(raw or ""):
            continue
        # the site's name is a credit only when not written like a person's name: a JSON-LD
        # Person "Helge Fahrnberger" on his own blog stays a person, "News18" on news18.com does not
        byline = split_byline(raw, sites, organisation=kind == "organization")
        if byline.people or byline.credits:
            out.append((byline, source, kind))
            guesses.append(text_key(raw) if source == "trafilatura" and byline.people else "")
        elif raw and source != "trafilatura" and not raw.lstrip().startswith("@"):
            naming_no_one.append(text_key(raw))  # not a handle: "@janedoe" agrees with "Jane Doe"
    return [item for item, guess in zip(out, guesses)
            if not (guess and any(guess in other for other in naming_no_one))]


def guessed_people(guess: str) -> list[str]:
    """trafilatura's guess of a page's people, name by name; none when it read them off a
    link or an image's address ("Sputnik https; Cdnarabic; I; Logo Png"), and not a
    commenter's header, which it capitalises ("stephangoeldi said:" as "Stephangoeldi Said")."""
    if URLISH.search(guess):
        return []
    return [part for part in guess.split(";") if not SPEECH_END.search(part.rstrip().lower())]


def choose_authors(
    candidates: Iterable[tuple[str, str, str]], site_names: Iterable[str] = ()
) -> Authors:
    """Pick the authors, people only, from ``(raw value, source, kind)`` candidates.

    Each candidate is cleaned into a group of names; groups are scored by the weight of the
    sources that give them (agreement adds up, but a page's meta tags count once; a group
    contained in another lends it half its weight), and the best-supported group wins; ties
    go to the most reliable source.
    A candidate that names only organisations (an agency, a desk, the site) is a group of
    its own: when it wins, the page names no author (:func:`choose_credit` names the
    organisation).
    """
    sites = {text_key(s) for s in site_names if text_key(s)}
    groups: dict[frozenset[str], _Group] = {}
    for order, (byline, source, kind) in enumerate(_bylines(candidates, sites)):
        names = _without_site(byline.people, sites) if sites else byline.people
        weight = SOURCE_WEIGHTS.get(source, 2.0) + {"person": 0.5, "organization": -1.5}.get(kind, 0.0)
        if sites and any(_site_like(n, sites) for n in names):
            weight *= 0.3  # the site's name, or part of it ("Happyface" on happyface313's blog)
        if names and all(len(n) <= 3 for n in names):
            weight *= 0.5  # initials
        elif not names:
            weight *= ORGANISATION_WEIGHT
        key = frozenset(_person_key(n) for n in names) if names else frozenset(
            ORGANISATION_KEY + _folded_key(c) for c in byline.credits)
        group = groups.get(key)
        shown = int(SOURCE_NAMES.get(source) in SHOWN_SOURCES)
        if group is None:
            group = groups[key] = _Group({}, key, 0.0, 0.0, order, source)
        seen_shown, seen = group.writings.get(tuple(names), (0, 0))
        group.writings[tuple(names)] = (seen_shown + shown, seen + 1)
        group.weigh(weight, source)
    if not groups:
        return Authors([])
    totals = {}
    for key, group in groups.items():
        total = group.score
        for other_key, other in groups.items():
            if other_key != key and other_key < key:
                total += other.score * 0.5  # a subset agrees with part of this group
        totals[key] = total
    best = max(groups.values(), key=lambda g: (totals[g.key], g.best_weight, -g.first_seen))
    if not best.names:
        return Authors([])  # an organisation won: the page names no author
    return Authors(list(best.names), SOURCE_NAMES.get(best.source, best.source))


def completed_names(names: list[str], site_names: Iterable[str], page_text: Callable[[], str]) -> list[str]:
    """The chosen names, a first name alone completed when the site is named after its author
    and the page writes the full name ("Henry" on steinhau.com, whose page credits "Henry
    Steinhau"; "Alexander" on alexander-klier.net): personal sites sign with the first name.
    ``page_text`` is called only when there is such a name to complete."""
    sites = {text_key(s) for s in site_names if text_key(s)}
    if not sites or not any(_first_name_alone(n) for n in names):
        return names
    text = page_text()
    out = []
    for name in names:
        if _first_name_alone(name):
            for match in re.finditer(rf"\b{re.escape(name)}\s+([^\W\d_][\w'’-]+)", text):
                surname = match.group(1)
                if surname[:1].isupper() and (text_key(surname) in sites or text_key(name + surname) in sites):
                    name = f"{name} {surname}"
                    break
        out.append(name)
    return out


def _first_name_alone(name: str) -> bool:
    return " " not in name and name[:1].isupper() and name[1:].islower() and name.isalpha()


def choose_credit(candidates: Iterable[tuple[str, str, str]], site_names: Iterable[str] = (),
                  authors: Iterable[str] = ()) -> str | None:
    """The organisation the byline credits, to go with the chosen ``authors``: from the
    bylines that name those authors ("Jane Doe | Reuters"), or an agency credited on its
    own (JSON-LD author Reuters beside a shown "By Jane Doe"); with no authors, the
    best-supported organisation (an agency, a desk, the site). Several are joined by ", "."""
    sites = {text_key(s) for s in site_names if text_key(s)}
    chosen = {_person_key(a) for a in authors}
    scores: dict[tuple[str, ...], list[float]] = {}
    for order, (byline, source, _) in enumerate(_bylines(candidates, sites)):
        if not byline.credits:
            continue
        people = {_person_key(n) for n in byline.people}
        if chosen and not (people & chosen if people else all(is_agency(c) for c in byline.credits)):
            continue  # another byline (the site's name in an author meta beside a person)
        key = tuple(byline.credits)
        weight = SOURCE_WEIGHTS.get(source, 2.0)
        if all(text_key(c) in sites for c in key):
            weight *= 0.3  # the site's own name: any agency or desk the page credits says more
        entry = scores.setdefault(key, [0.0, -order])
        entry[0] += weight
    if not scores:
        return None
    return ", ".join(max(scores, key=lambda k: tuple(scores[k])))
