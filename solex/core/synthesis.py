"""An offline, extractive drafting engine: many replies in, one structured synthesis out.

It knows nothing about communities or exchanges: callers pass the question and the
replies as plain text, and render the result however they need. The method, step by
step (every step is deterministic, so the same replies always give the same draft):

1. **Sentences.** Each reply's Markdown is cut into segments (paragraphs, list items,
   headings; quoted email text and signatures are dropped), inline Markdown is
   stripped, and each segment is split into sentences on ``. ! ? ؟`` — but not after
   abbreviations ("e.g.", "Dr.", "U.N.") or before a lower-case word. Greetings,
   thanks and sentences with fewer than two content words are left out.
2. **Vectors.** Sentences become TF-IDF vectors over light-stemmed words, without the
   English, French, Spanish and Arabic stop words and without stance words
   ("effective", "failed": so that for and against land in the same theme).
3. **Themes.** Average-linkage agglomerative clustering on cosine similarity, merging
   while the two closest groups are at least ``merge_threshold`` alike. An objection
   left on its own ("I disagree with paying stipends.") joins the theme it is closest
   to, since it answers someone. A group that more than one respondent speaks to is a
   theme, labelled by the terms most respondents in it share (the query's own words
   last: they say nothing new); the rest are "other points".
4. **Points.** In each theme, each respondent contributes at most one point: their most
   central sentence (highest mean similarity to the theme). A point that nearly
   repeats an earlier one (``duplicate_threshold``) is credited to both respondents
   instead of being written twice.
5. **Disagreement.** Each sentence gets a stance from cue words in en/fr/es (positive:
   "worked well", "effective"; negative: "did not work", "avoid", "not recommended";
   a negation before a positive cue flips it; after "however" / "but" the last clause
   decides). A theme where one respondent is for and another against, or where a
   respondent says "on the contrary" / "I disagree", is flagged as contested.
6. **Resources.** Markdown links, autolinks and bare URLs, deduplicated by a
   normalised address (scheme and host lower-cased, fragment, tracking parameters and
   trailing slash removed), each credited to the replies that cite it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from heapq import heapify, heappop, heappush
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ReplyId = int | str

# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ReplyText:
    """One reply as the engine sees it: who wrote it and what they said (Markdown)."""

    id: ReplyId
    author: str
    text: str


@dataclass(frozen=True)
class Options:
    # Measured on solex/core/tests/data/synthesis_cases.toml: grouping is stable for
    # thresholds from 0.06 to 0.12 and loses recall above 0.14.
    merge_threshold: float = 0.1
    duplicate_threshold: float = 0.5
    summary_themes: int = 3
    label_terms: int = 3


# -------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Sentence:
    reply_id: ReplyId
    author: str
    text: str
    position: int  # order within the reply
    stance: int  # +1 for, -1 against, 0 neutral
    objects: bool  # "I disagree", "on the contrary": speaks against the others


@dataclass(frozen=True)
class Point:
    """A sentence kept for the synthesis, credited to everyone who made the same point."""

    text: str
    reply_id: ReplyId  # the reply the words come from
    author: str
    also: tuple[tuple[ReplyId, str], ...] = ()  # others who said nearly the same

    @property
    def reply_ids(self) -> tuple[ReplyId, ...]:
        return (self.reply_id, *(reply_id for reply_id, _ in self.also))

    @property
    def authors(self) -> tuple[str, ...]:
        return (self.author, *(author for _, author in self.also))


@dataclass(frozen=True)
class Disagreement:
    """Who is for and who is against within one theme, with the words that show it."""

    in_favour: tuple[Sentence, ...]
    against: tuple[Sentence, ...]


@dataclass(frozen=True)
class Theme:
    label: str
    terms: tuple[str, ...]
    points: tuple[Point, ...]
    sentences: tuple[Sentence, ...]  # every sentence grouped here, points or not
    disagreement: Disagreement | None = None

    @property
    def reply_ids(self) -> tuple[ReplyId, ...]:
        return tuple(dict.fromkeys(sentence.reply_id for sentence in self.sentences))

    @property
    def is_contested(self) -> bool:
        return self.disagreement is not None


@dataclass(frozen=True)
class Resource:
    url: str
    title: str
    reply_ids: tuple[ReplyId, ...]


@dataclass(frozen=True)
class Synthesis:
    summary: tuple[Point, ...]  # the leading point of the main themes
    themes: tuple[Theme, ...]  # shared by two or more respondents, most shared first
    other_points: tuple[Point, ...]  # made by one respondent only
    resources: tuple[Resource, ...]
    respondents: tuple[tuple[ReplyId, str], ...]  # every reply that said something usable

    @property
    def contested_themes(self) -> tuple[Theme, ...]:
        return tuple(theme for theme in self.themes if theme.is_contested)

    @property
    def is_empty(self) -> bool:
        return not self.themes and not self.other_points and not self.resources


# ------------------------------------------------------------------------ word lists

STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because
    been before being below between both but by can cannot could couldn did didn do does
    doesn doing don down during each etc few for from further get got had hadn has hasn
    have haven having he her here hers herself him himself his how i if in into is isn it
    its itself just let ll me might more most much must mustn my myself need no nor not now
    of off on once one only or other our ours ourselves out over own per quite rather re
    really same shan she should shouldn so some such than that the their theirs them
    themselves then there these they this those through thus to too under until up upon us
    ve very via was wasn we well were weren what when where which while who whom why will
    with within without won would wouldn yes yet you your yours yourself yourselves
    dear hi hello thanks thank regards best kind colleague colleagues everyone all query
    question think believe suggest suggested would like many lot lots way ways example
    examples e g ie eg also however although though whether since still even already
    experience experiences share sharing shared hope helps help helpful
    au aux avec ce ces cet cette dans de des du elle elles en est et été être eu il ils je
    la le les leur leurs lui ma mais me même mes moi mon ne nos notre nous on ont ou où par
    pas pour qu que qui sa se ses si son sont sur ta te tes toi ton très tu un une vos votre
    vous y à ça comme aussi plus ainsi donc car cela ceci chez sans sous entre vers avons
    avez ont était sera peut faut fait faire bien tout tous toute toutes autre autres
    al algo ante antes como con contra cual cuando del desde donde dos el ella ellas ellos
    en entre era es esa ese eso esta este esto estos estas fue fueron ha han hay la las le
    les lo los más me mi mis muy ni no nos nuestra nuestro o otra otro otros para pero poco
    por porque que quien se ser si sido sin sobre son su sus también tanto te tiene tienen
    todo todos tu un una uno unos unas y ya hemos han sea puede pueden hacer cada
    في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم نحن أنا انا كان كانت
    يكون أن ان إن لا لم لن ما ثم او أو و قد كل بعض غير بين عند حتى منذ لدى لقد هناك
    """.split()  # noqa: SIM905 - a few hundred quoted words would hide the words
)

# Words and phrases that carry a stance. They are kept out of the vectors (so for and
# against group together) and scored for disagreement. Matching is on the accent-free,
# lower-cased sentence, so "échec" is written "echec".
POSITIVE_CUES: tuple[str, ...] = (
    "worked well", "works well", "working well", "work well", "it worked", "this worked",
    "that worked", "has worked", "have worked", "effective", "effectively", "successful",
    "successfully", "success", "recommend", "recommended", "strongly recommend",
    "improved", "helped", "good results", "positive", "useful", "reliable", "valuable",
    "agree", "we agree", "appreciated", "worth it", "well received", "sustainable",
    "a bien fonctionne", "fonctionne bien", "efficace", "recommande", "recommandons",
    "reussi", "succes", "utile", "ameliore", "positif", "fiable",
    "funciono", "funciona bien", "eficaz", "eficaces", "recomiendo", "recomendamos",
    "exito", "exitoso", "util", "mejoro", "positivo", "confiable",
)  # fmt: skip
NEGATIVE_CUES: tuple[str, ...] = (
    "did not work", "didn't work", "does not work", "doesn't work", "not work",
    "did not help", "didn't help", "failed", "fails", "failure", "ineffective",
    "not effective", "not recommended", "not recommend", "wouldn't recommend",
    "would not recommend", "advise against", "warn against", "caution against", "avoid",
    "counterproductive", "harmful", "did more harm", "backfired", "worse", "unreliable",
    "unsustainable", "undermined", "undermines", "mistake", "poor results",
    "no evidence", "not useful", "useless", "abandoned", "collapsed",
    "n'a pas fonctionne", "ne fonctionne pas", "echec", "eviter", "evitez", "deconseille",
    "deconseillons", "inefficace", "contre-productif",
    "no funciono", "no funciona", "fracaso", "evitar", "evite", "ineficaz",
    "no recomiendo", "no recomendamos", "contraproducente",
)  # fmt: skip
# "I disagree", "on the contrary": the speaker sets themselves against the others.
OBJECTION_CUES: tuple[str, ...] = (
    "on the contrary", "contrary to", "i disagree", "we disagree", "i would disagree",
    "i beg to differ", "in contrast to", "unlike what", "not our experience",
    "not what we found", "our experience was different", "our experience differs",
    "au contraire", "je ne suis pas d'accord", "contrairement a",
    "al contrario", "por el contrario", "no estoy de acuerdo", "a diferencia de",
)  # fmt: skip
CONTRAST_MARKERS = re.compile(
    r"\b(?:however|but|although|though|yet|nevertheless|cependant|toutefois|mais|"
    r"pourtant|sin embargo|pero|aunque|no obstante)\b"
)
NEGATORS = frozenset(
    {"not", "no", "never", "hardly", "without", "nor", "n't", "ne", "pas", "jamais", "sin",
     "nunca", "lack", "lacked", "lacking"}
)  # fmt: skip

# Full stops after these do not end a sentence (compared lower-cased, without the dot).
ABBREVIATIONS = frozenset(
    """
    e.g i.e eg ie vs cf al approx ca dr mr mrs ms prof st no nos p pp fig figs para art
    vol ed eds incl dept govt min max jan feb mar apr jun jul aug sep sept oct nov dec
    mme mlle m sr sra srta dra ud uds av ave tel est nb ref refs
    """.split()  # noqa: SIM905 - a few hundred quoted words would hide the words
)

GREETING = re.compile(
    r"^(?:dear|hi|hello|greetings|good (?:morning|afternoon|day)|bonjour|cher|chère|"
    r"chers|hola|estimad[oa]s?|buenos d[ií]as)\b",
    re.IGNORECASE,
)
COURTESY = re.compile(
    r"^(?:many thanks|thanks|thank you|best|kind regards|regards|best regards|cheers|"
    r"hope (?:this|that) helps|good luck|all the best|merci|cordialement|bien à vous|"
    r"gracias|saludos|un saludo|atentamente)\b",
    re.IGNORECASE,
)

TRACKING_PARAMETERS = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid)$")

# ---------------------------------------------------------------- text: Markdown in

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
BULLET = re.compile(r"^\s*(?:[-*+•‣◦]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+", re.IGNORECASE)
HEADING = re.compile(r"^\s*#{1,6}\s+")
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(\s*<?(https?://[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
BARE_URL = re.compile(r"(?<![(<\[\w])https?://[^\s<>()\[\]]+")
EMPHASIS = re.compile(r"\*\*|__|~~|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
SENTENCE_END = re.compile(r"[.!?؟…]+[\"'”’)\]]*(?=\s+)")
WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’-][^\W\d_])*", re.UNICODE)
# Private-use characters around link text inside sentences: a sentence that is little
# more than a link is a citation, listed with the resources rather than as a point.
LINK_OPEN, LINK_CLOSE = "\ue000", "\ue001"
LINKED = re.compile(LINK_OPEN + "[^" + LINK_CLOSE + "]*" + LINK_CLOSE)
ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")
# Hamza-carrying alefs, tā' marbūṭa and alif maqṣūra are spelled both ways in practice.
LETTER_VARIANTS = str.maketrans("أإآةى’", "اااهي'")


def segments(text: str, *, mark_links: bool = False) -> list[str]:
    """Paragraphs, list items and headings of a Markdown text, as plain text lines."""
    text = FENCE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    found: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            found.append(" ".join(current))
            current.clear()

    for raw_line in text.split("\n"):
        line = raw_line.rstrip()
        if line in {"--", "-- ", "—"} or line.startswith("-- "):
            break  # an email signature: nothing after it is content
        stripped = line.strip()
        if not stripped or stripped.startswith(">") or set(stripped) <= set("-*_=|: "):
            flush()  # a blank line, quoted text, a rule or a table border
            continue
        if HEADING.match(line) or BULLET.match(line):
            flush()
            current.append(BULLET.sub("", HEADING.sub("", line), count=1).strip())
            if HEADING.match(line):
                flush()
            continue
        if stripped.startswith("|"):
            flush()
            found.append("; ".join(cell.strip() for cell in stripped.strip("|").split("|")))
            continue
        current.append(stripped)
    flush()
    return [plain for segment in found if (plain := _plain(segment, mark_links=mark_links))]


def _plain(segment: str, *, mark_links: bool = False) -> str:
    segment = IMAGE.sub(r"\1", segment)
    link_text = LINK_OPEN + r"\1" + LINK_CLOSE if mark_links else r"\1"
    segment = MARKDOWN_LINK.sub(link_text, segment)
    segment = AUTOLINK.sub(link_text, segment)
    if mark_links:
        segment = BARE_URL.sub(lambda match: LINK_OPEN + match.group() + LINK_CLOSE, segment)
    segment = EMPHASIS.sub("", segment)
    return re.sub(r"\s+", " ", segment).strip()


def _unmark(text: str) -> str:
    return text.replace(LINK_OPEN, "").replace(LINK_CLOSE, "")


def split_sentences(text: str) -> list[str]:
    """The sentences of a Markdown text, in order, with abbreviations and lists handled."""
    return [_unmark(sentence) for sentence in _sentences(text)]


def _sentences(text: str) -> list[str]:
    """The sentences, with link text and URLs kept between markers."""
    sentences: list[str] = []
    for segment in segments(text, mark_links=True):
        start = 0
        for match in SENTENCE_END.finditer(segment):
            end = match.end()
            if _is_abbreviation(segment, match.start(), match.group()):
                continue
            following = segment[end:].lstrip()
            if following[:1].islower():
                continue  # "approx. ten", "the U.N. system": not a new sentence
            sentences.append(segment[start:end].strip())
            start = end
        if segment[start:].strip():
            sentences.append(segment[start:].strip())
    return [sentence for sentence in sentences if sentence]


def _is_abbreviation(segment: str, dot_at: int, punctuation: str) -> bool:
    if not punctuation.startswith(".") or punctuation.startswith(".."):
        return False
    word = re.search(r"([^\s(\[\"']+)$", segment[:dot_at])
    if word is None:
        return False
    token = word.group(1).lower()
    if token in ABBREVIATIONS or token.rstrip(".") in ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J.", "U.N", "U.S.A"
    return bool(re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", token)) and len(token) <= 7


# --------------------------------------------------------------------- text: words


def fold(text: str) -> str:
    """Lower-case, without Latin accents or Arabic vowel marks, Arabic letters unified."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", folded))
    return folded.translate(LETTER_VARIANTS)


def stem(word: str) -> str:
    """A light suffix stripper: enough that "transfers" meets "transfer" and "villages"
    meets "village" in English, French and Spanish; Arabic loses its article."""
    if word.startswith("ال") and len(word) > 4:
        return word[2:]
    if word.startswith("وال") and len(word) > 5:
        return word[3:]
    for suffix, replacement, shortest in (
        ("ations", "", 6), ("ation", "", 6), ("ements", "", 6), ("ement", "", 6),
        ("ments", "", 6), ("ment", "", 6), ("ities", "", 6), ("ity", "", 6),
        ("iness", "y", 6), ("ness", "", 6), ("ings", "", 6), ("ing", "", 5),
        ("ies", "y", 5), ("ied", "y", 5), ("ed", "", 5), ("sses", "ss", 5), ("xes", "x", 5),
        ("ches", "ch", 5), ("shes", "sh", 5), ("ss", "ss", 4), ("us", "us", 4), ("s", "", 4),
    ):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= shortest - 2:
            return word[: len(word) - len(suffix)] + replacement
    return word


_STANCE_WORDS = frozenset(
    fold(word) for cue in (*POSITIVE_CUES, *NEGATIVE_CUES) for word in cue.split() if " " not in cue
)
_STOP = frozenset(fold(word) for word in STOP_WORDS)


def words(text: str) -> list[str]:
    """Folded words of a text (no stop words, no numbers), before stemming."""
    return [
        word
        for word in (match.group().strip("'-") for match in WORD.finditer(fold(text)))
        if len(word) > 1 and word not in _STOP
    ]


def terms(text: str) -> list[str]:
    """The stemmed words that describe what a sentence is about (stance words left out)."""
    text = BARE_URL.sub(" ", AUTOLINK.sub(" ", _unmark(text)))
    return [stem(word) for word in words(text) if word not in _STANCE_WORDS]


# ---------------------------------------------------------------------------- stance


def _has_cue(folded: str, cue: str) -> int:
    """Where a cue occurs as whole words, or -1."""
    match = re.search(r"(?<!\w)" + re.escape(fold(cue)) + r"(?!\w)", folded)
    return match.start() if match else -1


def stance(sentence: str) -> int:
    """+1 if the sentence speaks for what it discusses, -1 against, 0 if it does not say."""
    folded = fold(sentence)
    clauses = CONTRAST_MARKERS.split(folded)
    # After "however" / "but" the last clause that takes a stance decides.
    for clause in reversed(clauses):
        score = _clause_stance(clause)
        if score:
            return score
    return 0


def _clause_stance(clause: str) -> int:
    score = 0
    negative_spans: list[tuple[int, int]] = []
    for cue in sorted(NEGATIVE_CUES, key=len, reverse=True):
        at = _has_cue(clause, cue)
        if at >= 0 and not any(start <= at < end for start, end in negative_spans):
            negative_spans.append((at, at + len(cue)))
            score -= 1
    for cue in sorted(POSITIVE_CUES, key=len, reverse=True):
        at = _has_cue(clause, cue)
        if at < 0 or any(start <= at < end for start, end in negative_spans):
            continue
        before = re.findall(r"[\w']+", clause[:at])[-3:]
        if any(word in NEGATORS or word.endswith("n't") for word in before):
            score -= 1  # "not effective", "never worked"
        else:
            score += 1
        negative_spans.append((at, at + len(cue)))
    return (score > 0) - (score < 0)


def objects(sentence: str) -> bool:
    folded = fold(sentence)
    return any(_has_cue(folded, cue) >= 0 for cue in OBJECTION_CUES)


# ------------------------------------------------------------------------- resources


def collect_resources(replies: Sequence[ReplyText]) -> tuple[Resource, ...]:
    """Every link cited in the replies, once, with the replies citing it, in first-seen order."""
    found: dict[str, tuple[str, str, list[ReplyId]]] = {}
    for reply in replies:
        text = FENCE.sub("", reply.text)
        links: list[tuple[str, str]] = [
            (m.group(2), m.group(1)) for m in MARKDOWN_LINK.finditer(text)
        ]
        text = MARKDOWN_LINK.sub(" ", text)
        links += [(m.group(1), "") for m in AUTOLINK.finditer(text)]
        text = AUTOLINK.sub(" ", text)
        links += [(m.group(), "") for m in BARE_URL.finditer(text)]
        # Links in a reply's position order, whatever their syntax.
        links.sort(key=lambda link: reply.text.find(link[0]))
        for url, title in links:
            url = url.rstrip(".,;:!?'\"”’")
            key = normalise_url(url)
            if not key:
                continue
            if key not in found:
                found[key] = (url, _plain(title), [])
            elif title and not found[key][1]:
                found[key] = (found[key][0], _plain(title), found[key][2])
            citing = found[key][2]
            if reply.id not in citing:
                citing.append(reply.id)
    return tuple(
        Resource(url=url, title=title or url, reply_ids=tuple(citing))
        for url, title, citing in found.values()
    )


def normalise_url(url: str) -> str:
    """The address two spellings of one link share, or "" if it is not a web address."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return ""
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not TRACKING_PARAMETERS.match(k)]
    )  # fmt: skip
    return urlunsplit(("https", host, parts.path.rstrip("/"), query, ""))


# ----------------------------------------------------------------------- clustering

Vector = dict[str, float]


def _vectors(documents: Sequence[list[str]]) -> list[Vector]:
    document_frequency: Counter[str] = Counter()
    for document in documents:
        document_frequency.update(set(document))
    count = len(documents)
    vectors: list[Vector] = []
    for document in documents:
        vector: Vector = {}
        for term, frequency in sorted(Counter(document).items()):
            idf = math.log((1 + count) / (1 + document_frequency[term])) + 1
            value = (1 + math.log(frequency)) * idf
            vector[term] = value
        norm = math.sqrt(sum(value * value for value in vector.values()))
        vectors.append({term: value / norm for term, value in vector.items()} if norm else {})
    return vectors


def cosine(left: Vector, right: Vector) -> float:
    if len(left) > len(right):
        left, right = right, left
    return sum(value * right.get(term, 0.0) for term, value in left.items())


def _similarities(vectors: Sequence[Vector]) -> dict[tuple[int, int], float]:
    """Non-zero cosine similarities between pairs (i < j), through an inverted index."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, vector in enumerate(vectors):
        for term in vector:
            postings[term].append(index)
    similarities: dict[tuple[int, int], float] = defaultdict(float)
    for term, indexes in postings.items():
        for position, i in enumerate(indexes):
            for j in indexes[position + 1 :]:
                similarities[(i, j)] += vectors[i][term] * vectors[j][term]
    return dict(similarities)


def cluster(vectors: Sequence[Vector], threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering: merge the most similar pair of groups
    until none is at least ``threshold`` alike. Groups come back in first-member order."""
    members: dict[int, list[int]] = {index: [index] for index in range(len(vectors))}
    # links[a][b]: the average similarity between groups a and b, kept when non-zero.
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), value in _similarities(vectors).items():
        links[i][j] = links[j][i] = value
    heap = [
        (-value, i, j)
        for i in links
        for j, value in links[i].items()
        if i < j and value >= threshold
    ]
    heapify(heap)
    next_id = len(vectors)
    while heap:
        _, a, b = heappop(heap)
        if a not in members or b not in members:
            continue  # one side was merged already: a stale pair
        size_a, size_b = len(members[a]), len(members[b])
        merged = next_id
        next_id += 1
        members[merged] = sorted(members.pop(a) + members.pop(b))
        # Lance–Williams update for average linkage.
        neighbours = sorted((set(links[a]) | set(links[b])) - {a, b})
        for other in neighbours:
            value = (size_a * links[a].get(other, 0.0) + size_b * links[b].get(other, 0.0)) / (
                size_a + size_b
            )
            links[other].pop(a, None)
            links[other].pop(b, None)
            if value > 0:
                links[merged][other] = links[other][merged] = value
                if value >= threshold:
                    heappush(heap, (-value, min(merged, other), max(merged, other)))
        del links[a], links[b]
    return sorted(members.values(), key=lambda group: group[0])


# ------------------------------------------------------------------------- drafting


@dataclass
class _Candidate:
    sentence: Sentence
    terms: list[str]
    vector: Vector = field(default_factory=dict)


def synthesise(
    query: str, replies: Sequence[ReplyText], options: Options | None = None
) -> Synthesis:
    """Draft a synthesis of ``replies`` to ``query``. Empty or one-reply input is fine."""
    options = options or Options()
    candidates: list[_Candidate] = []
    respondents: dict[ReplyId, str] = {}
    for reply in replies:
        for position, marked in enumerate(_sentences(reply.text)):
            text = _unmark(marked)
            if GREETING.match(text) and len(text.split()) <= 12 or COURTESY.match(text):
                continue
            sentence_terms = terms(text)
            if len(set(sentence_terms)) < 2:
                continue
            if LINK_OPEN in marked and len(set(terms(LINKED.sub(" ", marked)))) < 4:
                continue  # "See the CaLP guidance: <link>": a resource, not a point
            respondents.setdefault(reply.id, reply.author)
            candidates.append(
                _Candidate(
                    Sentence(reply.id, reply.author, text, position, stance(text), objects(text)),
                    sentence_terms,
                )
            )
    query_terms = frozenset(terms(query))
    vectors = _vectors([c.terms for c in candidates])
    for candidate, vector in zip(candidates, vectors, strict=True):
        candidate.vector = vector
    surface = _surface_forms(c.sentence.text for c in candidates)

    themes: list[Theme] = []
    other_points: list[Point] = []
    groups = cluster(vectors, options.merge_threshold)
    groups = _attach_objections(groups, candidates, options.merge_threshold / 2)
    for group in groups:
        members = [candidates[index] for index in group]
        authors = {c.sentence.reply_id for c in members}
        points = _points(members, options.duplicate_threshold)
        if len(authors) < 2:
            other_points.extend(points)
            continue
        label_terms = _label(members, query_terms, surface, options.label_terms)
        themes.append(
            Theme(
                label=", ".join(label_terms),
                terms=tuple(label_terms),
                points=tuple(points),
                sentences=tuple(c.sentence for c in members),
                disagreement=_disagreement(members),
            )
        )
    # Most widely shared first; ties keep the order the replies raised them.
    order = {id(theme): position for position, theme in enumerate(themes)}
    themes.sort(key=lambda theme: (-len(theme.reply_ids), order[id(theme)]))
    return Synthesis(
        summary=tuple(theme.points[0] for theme in themes[: options.summary_themes]),
        themes=tuple(themes),
        other_points=tuple(other_points),
        resources=collect_resources(replies),
        respondents=tuple(respondents.items()),
    )


def _attach_objections(
    groups: list[list[int]], candidates: Sequence[_Candidate], floor: float
) -> list[list[int]]:
    """Move one respondent's group that objects to others into the theme it answers."""

    def respondents(group: list[int]) -> int:
        return len({candidates[index].sentence.reply_id for index in group})

    themes = [group for group in groups if respondents(group) > 1]
    moved: list[list[int]] = []
    for group in groups:
        if respondents(group) > 1 or not any(candidates[i].sentence.objects for i in group):
            continue
        best, best_similarity = None, floor
        for position, theme in enumerate(themes):
            similarity = sum(
                cosine(candidates[i].vector, candidates[j].vector) for i in group for j in theme
            ) / (len(group) * len(theme))
            if similarity >= best_similarity:
                best, best_similarity = position, similarity
        if best is not None:
            themes[best] = sorted(themes[best] + group)
            moved.append(group)
    if not moved:
        return groups
    kept = [group for group in groups if respondents(group) == 1 and group not in moved]
    return sorted(themes + kept, key=lambda group: group[0])


def _points(members: Sequence[_Candidate], duplicate_threshold: float) -> list[Point]:
    """One point per respondent: their most central sentence; near-repeats share credit."""
    centrality = {
        id(c): sum(cosine(c.vector, other.vector) for other in members if other is not c)
        / max(1, len(members) - 1)
        for c in members
    }
    best: dict[ReplyId, _Candidate] = {}
    for candidate in members:  # members are in reply order, so ties keep the first
        current = best.get(candidate.sentence.reply_id)
        if current is None or centrality[id(candidate)] > centrality[id(current)]:
            best[candidate.sentence.reply_id] = candidate
    ranked = sorted(best.values(), key=lambda c: -centrality[id(c)])
    kept: list[tuple[_Candidate, list[tuple[ReplyId, str]]]] = []
    for candidate in ranked:
        for point, also in kept:
            if (
                cosine(point.vector, candidate.vector) >= duplicate_threshold
                and point.sentence.stance == candidate.sentence.stance
            ):
                also.append((candidate.sentence.reply_id, candidate.sentence.author))
                break
        else:
            kept.append((candidate, []))
    return [
        Point(c.sentence.text, c.sentence.reply_id, c.sentence.author, tuple(also))
        for c, also in kept
    ]


def _disagreement(members: Sequence[_Candidate]) -> Disagreement | None:
    by_reply: dict[ReplyId, list[Sentence]] = defaultdict(list)
    for candidate in members:
        by_reply[candidate.sentence.reply_id].append(candidate.sentence)
    in_favour: list[Sentence] = []
    against: list[Sentence] = []
    for sentences in by_reply.values():
        objecting = [s for s in sentences if s.objects]
        total = sum(s.stance for s in sentences)
        if objecting:
            against.append(objecting[0])
        elif total > 0:
            in_favour.append(max(sentences, key=lambda s: s.stance))
        elif total < 0:
            against.append(min(sentences, key=lambda s: s.stance))
    objectors = [s for s in against if s.objects]
    if against and in_favour:
        return Disagreement(tuple(in_favour), tuple(against))
    if objectors and len(by_reply) > 1:
        # "On the contrary" answers the others even when they took no explicit stance.
        others = tuple(
            sentences[0] for reply_id, sentences in by_reply.items()
            if all(reply_id != s.reply_id for s in against)
        )  # fmt: skip
        return Disagreement(others, tuple(against))
    return None


def _surface_forms(texts: Iterable[str]) -> dict[str, str]:
    """The most common spelling of each stem, to label themes with real words."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for word in words(text):
            spellings[stem(word)][word] += 1
    return {
        term: sorted(counter.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0][0]
        for term, counter in spellings.items()
    }


def _label(
    members: Sequence[_Candidate], query_terms: frozenset[str], surface: dict[str, str], count: int
) -> list[str]:
    weight: dict[str, float] = defaultdict(float)
    spread: dict[str, set[ReplyId]] = defaultdict(set)
    for candidate in members:
        for term, value in candidate.vector.items():
            weight[term] += value
            spread[term].add(candidate.sentence.reply_id)
    # Terms used by several respondents describe the theme better than one reply's jargon.
    ranked = sorted(
        weight,
        key=lambda term: (term in query_terms, -len(spread[term]) * weight[term], term),
    )
    return [surface.get(term, term) for term in ranked[:count]]
