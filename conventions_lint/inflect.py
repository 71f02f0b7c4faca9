"""Singular and plural of the English nouns found in identifiers and file names.

Rule-based with word lists, in the spirit of `inflect` / Rails' inflector, tuned
for the nouns of web back ends (`categories`, `addresses`, `statuses`, `caches`,
`schemas`, `analyses`). Words keep their case where it can be kept:
`Users` -> `User`, `IDs` -> `ID`, `Person` -> `People`.
"""

from __future__ import annotations

# Mass nouns and plural-only nouns: the same word in both numbers, never "wrong".
UNCOUNTABLE = frozenset(
    {
        "access",
        "advice",
        "aircraft",
        "analytics",
        "audio",
        "auth",
        "baggage",
        "chaos",
        "clothes",
        "config",
        "corps",
        "data",
        "deer",
        "details",
        "diagnostics",
        "earnings",
        "economics",
        "electronics",
        "equipment",
        "ethics",
        "ethos",
        "evidence",
        "feedback",
        "firmware",
        "fish",
        "furniture",
        "goods",
        "hardware",
        "headquarters",
        "health",
        "info",
        "information",
        "knowledge",
        "kudos",
        "logistics",
        "luggage",
        "mathematics",
        "means",
        "media",
        "metadata",
        "middleware",
        "money",
        "moose",
        "music",
        "news",
        "offspring",
        "os",
        "physics",
        "politics",
        "research",
        "savings",
        "series",
        "settings",
        "sheep",
        "software",
        "species",
        "staff",
        "statistics",
        "stats",
        "status",
        "thanks",
        "traffic",
        "wealth",
    }
)

_IRREGULAR = {
    "alumnus": "alumni",
    "analysis": "analyses",
    "api": "apis",
    "appendix": "appendices",
    "axis": "axes",
    "bacterium": "bacteria",
    "cactus": "cacti",
    "calf": "calves",
    "child": "children",
    "crisis": "crises",
    "criterion": "criteria",
    "curriculum": "curricula",
    "diagnosis": "diagnoses",
    "echo": "echoes",
    "elf": "elves",
    "emphasis": "emphases",
    "foot": "feet",
    "fungus": "fungi",
    "goose": "geese",
    "half": "halves",
    "hero": "heroes",
    "hypothesis": "hypotheses",
    "knife": "knives",
    "kpi": "kpis",
    "leaf": "leaves",
    "life": "lives",
    "loaf": "loaves",
    "man": "men",
    "matrix": "matrices",
    "memorandum": "memoranda",
    "millennium": "millennia",
    "mouse": "mice",
    "nucleus": "nuclei",
    "ox": "oxen",
    "parenthesis": "parentheses",
    "person": "people",
    "phenomenon": "phenomena",
    "potato": "potatoes",
    "quiz": "quizzes",
    "radius": "radii",
    "self": "selves",
    "shelf": "shelves",
    "stimulus": "stimuli",
    "synopsis": "synopses",
    "taxi": "taxis",
    "thesis": "theses",
    "thief": "thieves",
    "tomato": "tomatoes",
    "tooth": "teeth",
    "torpedo": "torpedoes",
    "uri": "uris",
    "vertex": "vertices",
    "veto": "vetoes",
    "volcano": "volcanoes",
    "wife": "wives",
    "wolf": "wolves",
    "woman": "women",
}
_IRREGULAR_PLURALS = {plural: singular for singular, plural in _IRREGULAR.items()} | {"indices": "index"}

# Singulars ending in a single `s`, plural `-ses`: `aliases` -> `alias` and `statuses` -> `status`, unlike
# `schemas` -> `schema` and `causes` -> `cause`.
_SINGULAR_S = frozenset(
    {
        "alias",
        "apparatus",
        "atlas",
        "bias",
        "bonus",
        "bus",
        "campus",
        "canvas",
        "census",
        "chorus",
        "circus",
        "consensus",
        "corpus",
        "focus",
        "gas",
        "genus",
        "lens",
        "minus",
        "nexus",
        "octopus",
        "pancreas",
        "plus",
        "prospectus",
        "status",
        "surplus",
        "syllabus",
        "thesaurus",
        "virus",
        "walrus",
    }
)
# `caches` -> `cache`, unlike `batches` -> `batch`.
_SINGULAR_CHE = frozenset(
    {
        "attache",
        "avalanche",
        "cache",
        "cliche",
        "creche",
        "headache",
        "moustache",
        "mustache",
        "niche",
        "psyche",
        "quiche",
    }
)
# `movies` -> `movie`, unlike `categories` -> `category`.
_SINGULAR_IE = frozenset(
    {
        "auntie",
        "birdie",
        "bookie",
        "brownie",
        "calorie",
        "cookie",
        "die",
        "freebie",
        "genie",
        "goalie",
        "hoodie",
        "lie",
        "movie",
        "newbie",
        "oldie",
        "pie",
        "prairie",
        "rookie",
        "selfie",
        "smoothie",
        "sortie",
        "techie",
        "tie",
        "veggie",
        "zombie",
    }
)
# `-ch` pronounced /k/ takes a plain `s`: `epochs`.
_HARD_CH = frozenset({"epoch", "matriarch", "monarch", "patriarch", "stomach"})


def singular(word: str) -> str:
    return _keep_case(word, _singular(word.lower()))


def plural(word: str) -> str:
    return _keep_case(word, _plural(word.lower()))


def is_plural(word: str) -> bool:
    """True for a plural countable noun (`users`, `people`); uncountable words are never plural."""
    return singular(word).lower() != word.lower()


def is_uncountable(word: str) -> bool:
    return word.lower() in UNCOUNTABLE


def _singular(word: str) -> str:
    if word in UNCOUNTABLE or word in _IRREGULAR or len(word) < 3:
        return word
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if word.endswith(("ss", "us", "is")) or word in _SINGULAR_S:
        return word
    if word.endswith("ies"):
        return word[:-1] if word[:-1] in _SINGULAR_IE else word[:-3] + "y"
    if word.endswith("yses"):
        return word[:-2] + "is"
    if word.endswith(("sses", "xes", "shes", "zzes")):
        return word[:-2]
    if word.endswith("ches"):
        return word[:-1] if word[:-1] in _SINGULAR_CHE else word[:-2]
    if word.endswith("ses") and word[:-2] in _SINGULAR_S:
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _plural(word: str) -> str:
    if word in UNCOUNTABLE or _singular(word) != word:
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("sis"):
        return word[:-2] + "es"
    if word.endswith("ch") and word not in _HARD_CH:
        return word + "es"
    if word.endswith(("s", "x", "z", "sh")):
        return word + "es"
    return word + "s"


def _keep_case(original: str, inflected: str) -> str:
    """Copy the case of the letters the two words share: `Users` -> `User`, `ID` -> `IDs`."""
    shared = 0
    while shared < min(len(original), len(inflected)) and original[shared].lower() == inflected[shared]:
        shared += 1
    return original[:shared] + inflected[shared:]
