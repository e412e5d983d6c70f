"""Word lists and deterministic prose for the demo site.

Everything here is a pure function of an integer seed, so an article's body can be
regenerated on request instead of being held in memory for 100,000 articles.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

#: (name, role, beat) of the site's writers; accents, hyphens and apostrophes on purpose.
AUTHORS: list[tuple[str, str, str]] = [
    ("Katelyn Kivel", "Staff Writer", "labor and the economy"),
    ("José Müller-Brandt", "Senior Correspondent", "trade and manufacturing"),
    ("Siobhán O'Neill", "Health Reporter", "public health"),
    ("Marcus Webb", "Politics Editor", "Congress and the White House"),
    ("Priya Raman", "Staff Writer", "education"),
    ("Anne-Marie Dubois", "Contributor", "housing"),
    ("Kwame Mensah", "Investigative Reporter", "courts and policing"),
    ("Ingrid Sørensen", "Climate Reporter", "energy and the environment"),
    ("Rafael Núñez", "Staff Writer", "immigration"),
    ("Hannah Okafor", "Data Reporter", "elections"),
    ("Björn Lindqvist", "Technology Reporter", "technology and privacy"),
    ("Zoë Martin-Ortiz", "Contributor", "culture"),
    ("Greg Castillo", "Staff Writer", "agriculture"),
    ("Emily Carter", "Deputy Editor", "state politics"),
    ("Noah Fischer", "Contributor", "transportation"),
    ("Mei-Ling Chow", "Staff Writer", "consumer affairs"),
]

CATEGORIES = ["Politics", "Economy", "Environment", "Health", "Technology", "Education", "Justice", "Labor",
              "World", "Opinion"]

TAGS = [
    "Minimum Wage", "Student Debt", "Affordable Housing", "Net Neutrality", "Drug Prices", "Voting Rights",
    "Water Quality", "Public Transit", "Wildfires", "Rural Broadband", "Police Reform", "Paid Leave",
    "Coal", "Farm Bill", "Charter Schools", "Opioids", "Medicaid", "Pipelines", "Carbon Tax", "Gerrymandering",
    "Unions", "Immigration", "Bail Reform", "Teachers", "Solar", "Lead Pipes", "Tenants", "Payday Loans",
    "Privacy", "Tariffs", "Supreme Court", "Senate", "House of Representatives", "Governors", "Elections 2018",
    "Elections 2020", "Wall Street", "Big Pharma", "Climate Change", "Veterans", "Social Security",
    "Prisons", "Guns", "Refugees", "Trade War", "Automation", "Gig Economy", "Hurricanes", "Flint",
    "Standing Rock", "Net Metering", "Insulin", "Wages", "Strikes", "Census", "Redistricting", "Budget",
    "Infrastructure", "Tax Cuts", "Lobbying",
]

#: (prose form, title form) of the subject of an article.
TOPICS = [
    ("the minimum wage", "Minimum Wage"), ("student debt", "Student Debt"), ("affordable housing", "Affordable Housing"),
    ("net neutrality", "Net Neutrality"), ("prescription drug prices", "Drug Prices"), ("voting rights", "Voting Rights"),
    ("drinking water", "Drinking Water"), ("public transit", "Public Transit"), ("wildfire prevention", "Wildfire Prevention"),
    ("rural broadband", "Rural Broadband"), ("police oversight", "Police Oversight"), ("paid family leave", "Paid Family Leave"),
    ("coal plant closures", "Coal Plant Closures"), ("farm subsidies", "Farm Subsidies"), ("charter schools", "Charter Schools"),
    ("opioid treatment", "Opioid Treatment"), ("Medicaid expansion", "Medicaid Expansion"), ("pipeline permits", "Pipeline Permits"),
    ("carbon pricing", "Carbon Pricing"), ("redistricting", "Redistricting"), ("union organizing", "Union Organizing"),
    ("immigration courts", "Immigration Courts"), ("cash bail", "Cash Bail"), ("teacher pay", "Teacher Pay"),
    ("solar incentives", "Solar Incentives"), ("lead service lines", "Lead Pipes"), ("tenant protections", "Tenant Protections"),
    ("payday lending", "Payday Lending"), ("data privacy", "Data Privacy"), ("steel tariffs", "Steel Tariffs"),
    ("insulin costs", "Insulin Costs"), ("pension funds", "Pension Funds"), ("hospital closures", "Hospital Closures"),
    ("school lunches", "School Lunches"), ("overtime rules", "Overtime Rules"), ("flood insurance", "Flood Insurance"),
    ("prison labor", "Prison Labor"), ("voter purges", "Voter Purges"), ("fracking bans", "Fracking Bans"),
    ("child care costs", "Child Care Costs"), ("gig worker benefits", "Gig Worker Benefits"), ("toxic waste sites", "Toxic Waste Sites"),
]

PLACES = [
    "Ohio", "Michigan", "Wisconsin", "Pennsylvania", "Texas", "Arizona", "Nevada", "Georgia", "Florida", "Iowa",
    "Kentucky", "West Virginia", "North Carolina", "Virginia", "Colorado", "Oregon", "Minnesota", "Missouri",
    "Kansas", "Louisiana", "Alabama", "New Mexico", "Montana", "Maine", "Vermont", "Idaho", "Utah", "Oklahoma",
    "Tennessee", "Indiana", "Detroit", "Cleveland", "Milwaukee", "Pittsburgh", "Houston", "Phoenix", "Atlanta",
    "Tampa", "Des Moines", "Louisville", "Charlotte", "Richmond", "Denver", "Portland", "Minneapolis", "St. Louis",
    "Baton Rouge", "Albuquerque", "Tulsa", "Memphis", "Indianapolis", "Fresno", "Sacramento", "Buffalo",
    "Toledo", "Flint", "Gary", "Camden", "Youngstown", "Scranton",
]

#: (prose form, title form) of institutions that act in the stories.
ORGS = [
    ("the Environmental Protection Agency", "EPA"), ("the Federal Communications Commission", "FCC"),
    ("the state health department", "Health Officials"), ("Amazon", "Amazon"), ("the Chamber of Commerce", "Chamber of Commerce"),
    ("a coalition of nurses’ unions", "Nurses’ Unions"), ("the Department of Education", "Education Department"),
    ("the Senate Finance Committee", "Senate Panel"), ("the city council", "City Council"), ("Walmart", "Walmart"),
    ("the Federal Reserve", "Federal Reserve"), ("the American Legislative Exchange Council", "ALEC"),
    ("the Department of Labor", "Labor Department"), ("Wells Fargo", "Wells Fargo"), ("the Teamsters", "Teamsters"),
    ("the governor’s office", "Governor"), ("the state attorney general", "Attorney General"), ("Uber", "Uber"),
    ("the Congressional Budget Office", "CBO"), ("the Department of Agriculture", "USDA"), ("Exxon Mobil", "Exxon"),
    ("a group of tenant organizers", "Tenant Organizers"), ("the school board", "School Board"), ("Pfizer", "Pfizer"),
    ("the Army Corps of Engineers", "Army Corps"), ("the Public Utilities Commission", "Utility Regulators"),
    ("the county commission", "County Commissioners"), ("the Federal Election Commission", "FEC"),
]

FIRST_NAMES = """James Maria Robert Linda Michael Patricia David Jennifer William Elizabeth Carlos Susan Joseph Jessica
Thomas Sarah Daniel Karen Matthew Nancy Anthony Lisa Mark Betty Donald Sandra Steven Ashley Paul Kimberly Andrew
Donna Joshua Michelle Kenneth Dorothy Kevin Carol Brian Amanda George Melissa Timothy Deborah Ronald Stephanie
Jason Rebecca Edward Sharon Jeffrey Laura Ryan Cynthia Jacob Amy Gary Angela Nicholas Shirley Eric Brenda Jonathan
Pamela Stephen Nicole Larry Ruth Justin Katherine Scott Samantha Brandon Christine Benjamin Emma Samuel Catherine
Gregory Debra Alexander Rachel Frank Carolyn Raymond Janet Patrick Virginia Jack Heather Dennis Diane Jerry Julie
Tyler Joyce Aaron Victoria Jose Olivia Adam Kelly Nathan Christina Henry Lauren Douglas Joan Zachary Evelyn Peter
Judith Kyle Megan Walter Cheryl Ethan Andrea Jeremy Hannah Harold Jacqueline Keith Martha Christian Gloria Roger
Teresa Noah Ann Gerald Sara Carl Madison Terry Frances Sean Kathryn Austin Janice Arthur Jean Lawrence Abigail""".split()

LAST_NAMES = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis
Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera
Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris
Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel
Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales
Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West
Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison""".split()

ROLES = ["a spokesperson for", "an analyst at", "a researcher at", "a senior adviser to", "a lawyer representing",
         "a former official at", "a board member of", "an organizer with", "an economist at", "the director of"]
GROUPS = ["workers", "families", "renters", "farmers", "nurses", "teachers", "small business owners", "students",
          "retirees", "veterans", "voters", "immigrants", "parents", "truck drivers", "patients", "homeowners"]
NOUNS = ["proposal", "measure", "budget", "lawsuit", "investigation", "program", "rule", "audit", "settlement",
         "report", "hearing", "contract", "deadline", "policy", "ordinance", "waiver", "subsidy", "study",
         "petition", "ballot initiative", "pilot project", "inspection", "agreement", "grant", "loophole",
         "complaint", "appeal", "survey", "memo", "analysis", "moratorium", "exemption", "tax credit"]
ADJECTIVES = ["controversial", "sweeping", "modest", "long-awaited", "bipartisan", "costly", "temporary",
              "unprecedented", "narrow", "federal", "local", "confidential", "preliminary", "revised", "leaked",
              "annual", "independent", "ambitious", "stalled", "emergency", "quiet", "aggressive", "landmark"]
VERBS = [("expand", "expanded"), ("block", "blocked"), ("delay", "delayed"), ("fund", "funded"),
         ("challenge", "challenged"), ("cut", "cut"), ("review", "reviewed"), ("reverse", "reversed"),
         ("approve", "approved"), ("reject", "rejected"), ("limit", "limited"), ("weaken", "weakened"),
         ("strengthen", "strengthened"), ("overhaul", "overhauled"), ("investigate", "investigated"),
         ("postpone", "postponed"), ("repeal", "repealed"), ("extend", "extended"), ("scrap", "scrapped")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
TIMES = ["next month", "this fall", "before the end of the year", "early next year", "within weeks",
         "by the summer", "after the midterm elections", "during the next legislative session"]

#: The sentence that carries an in-body link in some articles (anchor text = LINK_ANCHOR).
LINK_ANCHOR = "we reported earlier this year"

SENTENCES = [
    "{P}, {role} {org}, said the {adj} {noun} would {v} {topic} {time}.",
    "The {noun} has {vd} {topic} across {place} since {year}, according to {org}.",
    "“We have been waiting for this for a long time,” {P} said. “Nobody in {place} should have to choose between rent and medicine.”",
    "According to a {adj} {noun} by {org}, {pct} percent of {group} in {place} say {topic} has gotten worse.",
    "Critics argue that the {noun} could {v} {topic} without any real oversight.",
    "{org_cap} did not respond to a request for comment.",
    "Lawmakers in {place} are expected to vote on the {noun} {time}.",
    "The change would affect roughly {num} {group}, most of them in {place}.",
    "{S} noted that the {noun} was drafted with help from lobbyists, a claim {org} disputes.",
    "In {month} {year}, {org} {vd} a similar {noun}, only to reverse course weeks later.",
    "Supporters say the {noun} will save taxpayers as much as ${money} million over a decade.",
    "Opponents, including {P2}, {role2} {org2}, have promised to fight it in court.",
    "“This is not about politics,” {S2} said. “It is about whether {group} can make ends meet.”",
    "Records obtained by reporters show that {org} spent ${money} million on the effort last year.",
    "The debate over {topic} has divided {group} and {group2} for years.",
    "A spokesperson for {org2} said the agency was still reviewing the {noun}.",
    "Advocates have held rallies outside the capitol in {place} every week since {month}.",
    "The {adj} {noun} comes as {group} in {place} face rising costs and stagnant wages.",
    "Several {group} interviewed for this story said they had never heard of the {noun}.",
    "{P2} called the decision “a slap in the face” to {group} who depend on {topic}.",
    "It is unclear whether the {noun} will survive a legal challenge.",
    "Data from {org2} suggest the problem is worst in rural counties outside {place}.",
    "The {noun} was first proposed in {year} but stalled amid disagreements over {topic}.",
    "Economists say the effects on {topic} may take years to show up in official statistics.",
    "At a packed town hall in {place}, residents lined up to ask {S} about {topic}.",
    "Neither {org} nor {org2} has released the full text of the {noun}.",
    "{S} first raised concerns about the {noun} in a letter sent to {org2} in {month}.",
    "Turnout at public hearings on {topic} has tripled since {year}, organizers said.",
    "A {adj} analysis found that {group} pay about ${money} more a month than they did in {year}.",
    "The governor has not said whether she would sign the {noun} if it reaches her desk.",
    "Some {group} have already begun organizing phone banks and door-knocking campaigns.",
    "“The people who wrote this have never set foot in {place},” {P2} said.",
    "Federal officials have opened a {adj} {noun} into how the money was spent.",
    "The vote fell largely along party lines, with two members of the minority crossing over.",
    "{org_cap} said in a statement that it “remains committed” to {topic}.",
    "Internal emails show that staff warned about the {noun} as early as {year}.",
    "For {group} like {P2}, the stakes could hardly be higher.",
    "The measure now heads to a committee that has killed similar proposals before.",
    "Local news outlets in {place} were the first to report the {adj} {noun}.",
    "Attorneys for {org2} argued that the {noun} exceeded the agency’s authority.",
    "A similar {noun} in a neighboring state {vd} spending on {topic} by {pct} percent.",
    "Asked about the timeline, {S} said only that talks were continuing {time}.",
    "The {noun} would cost an estimated ${money} million in its first year.",
    "Independent experts contacted for this story were divided on whether it would work.",
]
PHRASE_SENTENCES = [
    "Internally, staff members referred to the plan as the {phrase}, a name that stuck.",
    "The document, nicknamed the {phrase} by its authors, runs to more than {num} pages.",
    "Organizers in {place} have taken to calling the effort the {phrase}.",
    "Among insiders the deal is known simply as the {phrase}.",
]
LINK_SENTENCE = "As " + LINK_ANCHOR + ", {org} had already {vd} a related {noun} in {place}."
COMMENT_SENTENCES = [
    "Thank you for covering this, nobody else is.", "This is exactly what is happening in my town too.",
    "Great reporting. Sharing this with my neighbors.", "I called my representative about this last week.",
    "Does anyone know when the vote is scheduled?", "The numbers in this piece are shocking.",
    "We need more stories like this one.", "My sister works in this field and says it is even worse.",
    "I disagree with some of the framing but the facts are important.", "Unbelievable. Keep digging.",
]
CORRECTION = ("Correction (revision {rev}): An earlier version of this article misstated the size of the {noun}. "
              "The figure has been corrected.")

#: Non-article pages: path → (title, paragraphs, whether Yoast marks it og:type article).
STATIC_PAGES: dict[str, tuple[str, list[str], bool]] = {
    "/about/": ("About Us", [
        "{name} is an independent, reader-supported newsroom founded to cover the stories that affect working "
        "people, from wages and health care to housing and the environment.",
        "Our reporters are based across the Midwest and the South. We publish original reporting, analysis and "
        "commentary every weekday, and we never run sponsored content disguised as journalism.",
        "We correct our mistakes openly. If you spot an error, write to corrections@example.org and an editor will "
        "review it within two business days.",
        "{name} is funded by readers like you. We do not accept money from political parties or candidates.",
    ], True),
    "/contact/": ("Contact", ["Have a tip or a question? Use the form below or email newsroom@example.org."], False),
    "/privacy-policy/": ("Privacy Policy", [
        "This privacy policy explains what information {name} collects when you visit this website and how it is used.",
        "We collect the information you provide when you subscribe to our newsletter or leave a comment, including "
        "your name and email address. Comments may be checked through an automated spam detection service.",
        "We use cookies to remember your preferences and to measure how many people read our stories. You can turn "
        "cookies off in your browser settings at any time.",
        "We never sell your personal information. You may request a copy of the data we hold about you, or ask us "
        "to delete it, by writing to privacy@example.org.",
        "This policy was last reviewed in 2019 and may change; changes will be posted on this page.",
    ], True),
    "/advertise/": ("Advertise With Us", ["Reach an engaged audience of readers. Email ads@example.org for rates."],
                    False),
    "/partners/": ("Our Partners", ["Our reporting is republished by partner newsrooms across the country."], True),
}

#: Words used only in per-article phrases, so each phrase is unique to one article body.
PHRASE_A = """amber azure basalt beryl bronze cerulean cobalt copper coral crimson damask ebony emerald garnet
gilded granite hazel indigo ivory jade jasper lilac magenta mahogany marble mauve obsidian ochre onyx opal pewter
quartz russet saffron sapphire scarlet sepia sienna silvery slate tawny teal topaz umber velvet vermilion violet
walnut cinnabar citrine chestnut auburn burgundy cinder fawn flaxen frosted lacquered lustrous mottled pearly
periwinkle tangerine turquoise""".split()
PHRASE_B = """albatross antelope badger bison bittern caribou cormorant coyote crane egret falcon ferret finch
gazelle gecko heron ibex jackal kestrel kingfisher lemur lynx magpie marmot mongoose moose narwhal ocelot osprey
otter pelican petrel puffin quail raven sandpiper salamander skylark sparrow starling stoat tapir tern thrush
toucan vole walrus warbler weasel wolverine wombat wren yak zebra alpaca armadillo axolotl bobcat capybara
chinchilla cuckoo dingo""".split()
PHRASE_C = """almanac anthem ballad beacon bulwark canticle caravan cipher compass concordat covenant ensemble
fresco gambit harbinger lantern ledger manifesto mosaic nocturne odyssey overture pageant parable paragon
pavilion pennant prelude quadrant rampart requiem rhapsody sextant sonnet tapestry tableau talisman tincture
trellis vanguard vesper vignette zephyr aqueduct bastion cadence carousel citadel codex crucible epistle
escarpment filigree garrison gondola kaleidoscope labyrinth lattice lighthouse meridian monolith obelisk""".split()
PHRASE_D = """alder birch cypress hemlock juniper larch linden magnolia maple mimosa myrtle oleander poplar
rowan sequoia spruce sycamore tamarack willow yew""".split()

NON_SLUG = re.compile(r"[^a-z0-9]+")
APOSTROPHES = re.compile(r"['’]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def slugify(text: str) -> str:
    """WordPress-like slug: ASCII, lower case, apostrophes dropped, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return NON_SLUG.sub("-", APOSTROPHES.sub("", ascii_text.lower())).strip("-")


def phrase_for(serial: int) -> str:
    """The unique search phrase of the ``serial``-th article ever generated (a bijection, scrambled)."""
    la, lb, lc = len(PHRASE_A), len(PHRASE_B), len(PHRASE_C)
    space = la * lb * lc
    x = (serial * 7919 + 12345) % space  # 7919 is prime and does not divide the space
    words = [PHRASE_A[x % la], PHRASE_B[(x // la) % lb], PHRASE_C[x // (la * lb)]]
    if serial >= space:  # four words, with a word no three-word phrase has, so none contains another
        words.insert(1, PHRASE_D[(serial // space - 1) % len(PHRASE_D)])
    return " ".join(words)


@dataclass(frozen=True)
class Cast:
    """What one article is about: its topic, place, institutions and people (derived from its seed)."""

    topic: tuple[str, str]
    place: str
    org: tuple[str, str]
    org2: tuple[str, str]
    people: tuple[str, str]


def cast_for(body_seed: int) -> Cast:
    """The article's cast, by splitting a scrambled seed into digits (much cheaper than a Random)."""
    x = (body_seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) % (1 << 64)
    x, topic = divmod(x, len(TOPICS))
    x, place = divmod(x, len(PLACES))
    x, org = divmod(x, len(ORGS))
    x, org2 = divmod(x, len(ORGS) - 1)
    names = []
    for _ in range(2):
        x, first = divmod(x, len(FIRST_NAMES))
        x, last = divmod(x, len(LAST_NAMES))
        names.append(f"{FIRST_NAMES[first]} {LAST_NAMES[last]}")
    org2 += org2 >= org
    return Cast(TOPICS[topic], PLACES[place], ORGS[org], ORGS[org2], (names[0], names[1]))


TITLES = [
    "{org} Moves to {V} {topic} in {place}",
    "{place} Residents Push Back Against {topic} Plan",
    "New Report Shows {topic} Costs {group} Millions",
    "Why {topic} Could Decide the Next Election in {place}",
    "{P} Wants to Overhaul {topic}. Here’s What That Means",
    "{n} Things to Know About the {place} {topic} Fight",
    "Lawmakers Clash Over {topic} as {place} Deadline Nears",
    "{group} in {place} Say {topic} Is Failing Them",
    "{org} Quietly Expands {topic} Program in {place}",
    "Inside the Battle Over {topic} in {place}",
    "{org} Sued Over {topic} Decision",
    "How {topic} Became a Flashpoint in {place}",
]


def make_title(rng: random.Random, cast: Cast) -> str:
    """A headline about the article's cast (title case, like most WordPress news themes)."""
    values = {
        "org": cast.org[1], "V": rng.choice(VERBS)[0].title(), "topic": cast.topic[1], "place": cast.place,
        "group": rng.choice(GROUPS).title(), "P": cast.people[0], "n": rng.choice(["Five", "Six", "Seven", "Three"]),
    }
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], rng.choice(TITLES))


def _fill(template: str, rng: random.Random, cast: Cast, phrase: str = "") -> str:
    values: dict[str, str] = {"phrase": phrase}

    def value(name: str) -> str:
        if name not in values:
            values[name] = _slot(name, rng, cast)
        return values[name]

    sentence = PLACEHOLDER.sub(lambda m: value(m.group(1)), template)
    return sentence[0].upper() + sentence[1:]


def _slot(name: str, rng: random.Random, cast: Cast) -> str:
    fixed = {
        "P": cast.people[0], "P2": cast.people[1], "S": cast.people[0].split()[-1], "S2": cast.people[1].split()[-1],
        "org": cast.org[0], "org_cap": cast.org[0][0].upper() + cast.org[0][1:], "org2": cast.org2[0],
        "topic": cast.topic[0], "place": cast.place,
    }
    if name in fixed:
        return fixed[name]
    if name in ("role", "role2"):
        return rng.choice(ROLES)
    if name in ("group", "group2"):
        return rng.choice(GROUPS)
    if name in ("v", "vd"):
        return rng.choice(VERBS)[0 if name == "v" else 1]
    simple = {"adj": ADJECTIVES, "noun": NOUNS, "time": TIMES, "month": MONTHS}
    if name in simple:
        return rng.choice(simple[name])
    if name == "year":
        return str(rng.randint(2009, 2016))
    if name == "pct":
        return str(rng.randint(12, 88))
    if name == "num":
        return f"{rng.randint(2, 950) * 100:,}"
    if name == "money":
        return f"{rng.randint(11, 990) / 10:.1f}"
    raise KeyError(name)


def make_paragraphs(body_seed: int, phrase: str) -> list[str]:
    """The article body: 4-12 paragraphs of 2-5 sentences, the unique phrase in one of them."""
    cast = cast_for(body_seed)
    rng = random.Random(body_seed * 31 + 1)
    deck: list[str] = []

    def sentence() -> str:
        if not deck:  # deal templates without repeats until the deck runs out
            deck.extend(rng.sample(SENTENCES[1:], len(SENTENCES) - 1))
        return _fill(deck.pop(), rng, cast)

    paragraphs = [[sentence() for _ in range(rng.randint(2, 4))] for _ in range(rng.randint(4, 12))]
    paragraphs[0].insert(0, _fill(SENTENCES[0], rng, cast))
    where = rng.randrange(len(paragraphs))
    paragraphs[where].insert(rng.randint(0, len(paragraphs[where])),
                             _fill(rng.choice(PHRASE_SENTENCES), rng, cast, phrase))
    if has_inline_link(body_seed):
        paragraphs[-2].append(_fill(LINK_SENTENCE, rng, cast))
    return [" ".join(sentences) for sentences in paragraphs]


def has_inline_link(body_seed: int) -> bool:
    """Whether the body links to another article from LINK_ANCHOR (about 40% of articles)."""
    return body_seed % 5 < 2


def make_description(body_seed: int) -> str:
    """The standfirst: one sentence, never containing the article's phrase."""
    cast = cast_for(body_seed)
    rng = random.Random(body_seed * 31 + 2)
    return (f"{cast.org[0][0].upper() + cast.org[0][1:]} is under pressure over {cast.topic[0]} in {cast.place}, "
            f"and {rng.choice(GROUPS)} say the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} is not enough.")


def make_correction(body_seed: int, revision: int) -> str:
    return CORRECTION.format(rev=revision, noun=random.Random(body_seed + revision).choice(NOUNS))


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    date: datetime
    text: str


def comment_count(body_seed: int) -> int:
    return (body_seed >> 3) % 4


def make_comments(body_seed: int, number: int, published: datetime) -> list[Comment]:
    """0-3 reader comments, dated after the article."""
    rng = random.Random(body_seed * 31 + 3)
    comments = []
    for k in range(comment_count(body_seed)):
        name = rng.choice([f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}.", rng.choice(FIRST_NAMES).lower()
                           + str(rng.randint(1, 99))])
        when = published + timedelta(minutes=rng.randint(20, 60 * 24 * 6))
        text = " ".join(rng.sample(COMMENT_SENTENCES, rng.randint(1, 3)))
        comments.append(Comment(number * 10 + k + 1, name, when, text))
    return sorted(comments, key=lambda c: c.date)
