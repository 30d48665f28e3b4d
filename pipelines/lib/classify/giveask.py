"""Give / ask / neutral classification of one message, with the reason that decided.

How a message is decided (see docs/classifier.md):

1. Structural signals come first and need no text: an endorsement or recommendation given is
   the owner's give, received is the contact's give (`classify_structural`); an email in which
   the owner introduces people who had never been in touch is an introduction
   (`classify_introduction`).
2. The text is cut into sentences. In each sentence, hand-written *give* rules (offers of help or
   of an introduction, congratulations, shared links, thanks) and *ask* rules (could you…,
   please…, let me know…, I'd love to…, introduce me…, imperatives) are looked for. An offer
   ("let me know if I can help") is a give even though it looks like an ask.
3. A sentence no rule claims goes to a small logistic-regression model (words, word pairs and
   the rule flags) trained offline on the enron-intent train split; its weights are the
   committed `weights.json` (`python -m pipelines.lib.classify.train` rebuilds it).
4. The message is an ask if a rule found an ask in it, else a give if a give rule fired, else an
   ask if the model says so, else neutral. For asks, the whole message is checked for
   specificity (a concrete thing, amount or person) and a time bound (a day, date or deadline).

Pure Python at run time (regexes compiled once, dictionary look-ups), no Dagster, no numpy.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

GIVE = "give"
ASK = "ask"
NEUTRAL = "neutral"

GIVE_SUBKINDS = (
    "introduction",
    "endorsement",
    "recommendation",
    "congratulation",
    "resource_shared",
    "help_offered",
    "thanks",
)
ASK_SUBKINDS = (
    "request_for_help",
    "introduction_request",
    "referral",
    "meeting",
    "feedback",
    "other",
)

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
# Long mails are cut: the opening carries the request, and a bounded input keeps the
# classifier's cost per message bounded too.
MAX_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Classification:
    """What a message is, from the point of view of the person who wrote it.

    `actor` says whose give or ask it is: "owner" for an outbound message, "contact" for an
    inbound one, None when the direction is unknown. `is_specific` and `is_time_bound` are set
    for asks only. `ask_probability` is the model's score when the model was consulted.
    """

    kind: str
    subkind: str | None
    reason: str
    is_specific: bool | None = None
    is_time_bound: bool | None = None
    actor: str | None = None
    ask_probability: float | None = None


def _rules(rules: dict[str, str]) -> re.Pattern[str]:
    """One alternation with a named group per rule: a single scan finds every rule that fires.

    The patterns are lower case and run on lower-cased text; the leading word-start guard lets
    the scan skip every position that is not the start of a word, several times faster.
    """
    return _words("|".join(f"(?P<{name}>{pattern})" for name, pattern in rules.items()))


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?=[a-z0-9])(?:{pattern})")


# Gives, in priority order: when several fire, the first listed names the subkind.
_GIVE_RULES = {
    "introduction": (
        r"\b(?:let me|i'd like to|i would like to|i want(?:ed)? to|allow me to|happy to|glad to"
        r"|delighted to|i can|i'll|i will|i'd love to|i'm going to|i am going to)\s+(?:also\s+)?"
        r"(?:introduce|intro|connect)\s+you\b"
        r"|\b(?:let me|i'll|i will|happy to|glad to|i can) (?:make|do) (?:an|the) intro(?:duction)?\b"
        r"|\bintroducing (?:you|my|our)\b|\b(?:putting|put) you (?:two |both )?in touch\b"
        r"|\byou two should (?:meet|talk|connect)\b|\bconnecting you (?:two|both|with)\b"
        r"|\b(?:here's|here is|making) (?:an |a quick |the )?intro(?:duction)?\b"
    ),
    "recommendation": (
        r"\b(?:wrote|written|write|left|posted|gave) (?:you )?a recommendation\b"
        r"|\brecommendation for you\b"
    ),
    "endorsement": r"\bendorsed you\b",
    "resource_shared": (
        r"\b(?:here's|here is|here are|sharing|sending you|thought you(?:'d| would| might)"
        r"|you (?:might|may|would) (?:like|enjoy|find)|check out|fyi|worth a (?:read|look|listen))"
        r"\b[^.!?]*?(?:https?://|www\.|\b(?:article|link|podcast|paper|report|post|video|book"
        r"|talk|blog|slides|resource|notes|recording|guide|newsletter|thread)s?\b)"
        r"|\b(?:please find|i've) attached\b|\b(?:attached|enclosed) (?:is|are|please find)\b"
        # mail hands over a document with "here is the ...": the rentroll, the new file
        r"|^(?:(?:hi|hey|hello|dear)?\s*\w+,\s+)?(?:here is|here are|here's) (?:the|a|an|my|our"
        r"|your|this|that)\b"
        r"|^(?:https?://|www\.)\S+$"
    ),
    "help_offered": (
        r"\b(?:happy|glad|delighted|willing|here) to (?:help|assist|support|share|lend|review"
        r"|take a look|answer|chat|talk)\b"
        r"|\blet me know (?:if|how|whether|what) (?:i|we) can\b"
        r"|\b(?:anything|something|any way) (?:else )?(?:i|we) can (?:do|help)\b"
        r"|\bhow can i help\b|\bif you need (?:any|anything|help|a hand)\b"
        r"|\bfeel free to (?:reach out|ask|call|ping|contact|email|message|get in touch)\b"
        r"|\bdon't hesitate to\b|\boffer(?:ing)? (?:to )?help\b|\bi can help\b"
        # "please call me if you have any questions": an offer, not a request
        r"|\bplease (?:feel free to |do not hesitate to )?(?:call|contact|e-?mail|page|see|let)\b"
        r"[^.?!]{0,60}\bif (?:you|there) (?:have|has|are|is|need)\b"
        r"|\bif (?:you|there) (?:have|has|are|is) (?:any )?(?:questions?|problems?|concerns?"
        r"|conflicts?|issues?)\b"
        r"|\b(?:i'd|i would) be (?:happy|glad) to\b"
    ),
    "congratulation": (
        r"\bcongrat(?:s|ulations|ulation|z)?\b"
        r"|\bhappy (?:birthday|anniversary|work anniversary|new year|holidays)\b"
        r"|\bwell[- ]deserved\b|\bwell done\b|\bkudos\b|\bso (?:happy|proud|excited) for you\b"
        r"|\b(?:best of|good) luck\b"
    ),
    # Gratitude for something, not the "thanks" that closes every other email.
    "thanks": (
        r"\b(?:thank you|thanks|many thanks|thx)(?: (?:so|very|so very) much| a (?:lot|ton|bunch"
        r"|million)| again)? for (?!considering\b)"
        r"|\b(?:thank you so much|thanks so much|thanks a (?:lot|ton|bunch|million)|many thanks"
        r"|much appreciated)\b(?! in advance)"
        r"|\bi (?:really |truly |so |greatly )?appreciate (?:it|you|your|the|that|all)\b"
        r"|\b(?:so |really |very )?grateful (?:for|to you)\b"
        # a sentence that is only thanks, to someone: "thanks Bill", "THANK YOU!!"
        r"|^(?:thanks|thank you|thx|thsx|many thanks)(?: (?!for\b)[a-z]+)?\W*$"
        # praise of the reader's work
        r"|\b(?:good|great|nice|excellent|fine) (?:memo|job|work|effort|note|summary|analysis)\b"
    ),
}
_GIVE_LABEL = {
    "introduction": "offers or makes an introduction",
    "recommendation": "gives a recommendation",
    "endorsement": "endorses",
    "resource_shared": "shares a resource",
    "help_offered": "offers help",
    "congratulation": "congratulates",
    "thanks": "thanks",
}
# An offer claims its sentence even when an ask rule also fires in it ("let me know if I can
# help"); thanks and congratulations do not ("thanks - could you send the deck?").
_OFFERS = frozenset(
    {"introduction", "recommendation", "endorsement", "resource_shared", "help_offered"}
)

_ASK_RULES = {
    "direct_request": (
        r"\b(?:introduce|intro|connect|refer|recommend) me\b|\bput me in touch\b"
        r"|\bconnect(?:ing)? me with\b|\b(?:do|would) you (?:happen to )?know (?:anyone|anybody"
        r"|someone|somebody)\b|\bput in a (?:good )?word\b"
    ),
    "modal_you": r"\b(?:could|can|would|will|might) you\b(?! believe| imagine)",
    "please": r"\bplease\b",
    "let_me_know": r"\blet (?:me|us) know\b|\b(?:get|circle) back to me\b",
    "wish": (
        r"\b(?:i|we)(?:'d| would) (?:love|like|appreciate|be grateful for|welcome) (?:your|you to"
        r"|it if|if|to (?:meet|chat|talk|connect|catch up|grab|get your|hear your|ask|pick|learn"
        r"|invite you|schedule|set up|get together|hop on))\b"
        r"|\bi (?:was wondering|wonder(?:ed)?) (?:if|whether)\b|\bappreciate (?:it )?if\b"
        r"|\b(?:i'm|i am|we're|we are) hoping (?:you|to get|for)\b|\bneed you to\b"
        r"|\b(?:i|we) need your\b|\bi want your\b"
        r"|\b(?:your|any) (?:input|thoughts|opinion|comments|feedback) (?:on|about|would)\b"
    ),
    "availability": (
        r"\b(?:do|did) you (?:have|mind|get a chance|have a chance)\b"
        r"|\b(?:are|were) you (?:free|available|around|open|interested|willing|able|up for)\b"
        r"|\b(?:any chance|is it possible|would it be possible|is there any way)\b"
    ),
    "proposal": (
        # "Yes, let's do it." accepts a proposal; it asks nothing
        r"\b(?:let's(?! (?:do (?:it|that|this)|go for it)\W*$)|shall we|can we|could we|should we"
        r"|why don't (?:we|you)|how about"
        r"|want to (?:grab|meet|chat|catch up)|up for (?:a )?(?:coffee|call|chat|lunch|drink))\b"
        r"|\b(?:works|work|is good|is fine|is great|sounds good) for (?:me|us)\b"
    ),
    "imperative": (
        r"^(?:(?:hi|hey|hello|dear)\s+\w+[,!]?\s+)?(?:please\s+|kindly\s+)?(?:send|forward|review"
        r"|call|email|e-mail|give|get|take a look|check|look (?:at|over|into)|confirm|schedule"
        r"|set up|contact|reply|respond|sign|fill|join|tell|provide|add|update|introduce|remind"
        r"|bring|fax|approve|make sure|arrange|book|share|pass|ping|drop me|come|plan|advise"
        r"|ask|grab|keep me)\b"
    ),
}
# Gives come first in the scan: where an offer and an ask start at the same word ("let me know
# if I can help") the offer is what the sentence is.
# Small talk claims its sentence as neutral unless a decisive ask rule fires too: the model,
# trained on Enron scheduling mail, would read "nice to meet you" as a meeting request.
_SMALL_TALK_RULES = {
    "pleasantry": (
        r"(?<!be )(?:nice|great|good|lovely|a pleasure|pleasure) (?:to )?(?:meet|meeting|see|seeing"
        r"|hear from|hearing from|chat with|chatting with|catch up with|catching up with|talk to"
        r"|talking to|speak with|speaking with|connect with|connecting with) you\b"
        r"|(?:talk|speak|see|catch) you (?:soon|later|then|tomorrow|next week|there)\b"
        r"|have a (?:great|good|nice|lovely|wonderful) (?:day|weekend|week|evening|trip|time)\b"
        r"|hope (?:you're|you are|you've been|all is) (?:well|doing well|good|great)\b"
    ),
    # the boilerplate of advertising and mass mail asks nobody in particular
    "broadcast": (
        r"click (?:here|on (?:the|this) (?:link|icon|button))"
        r"|if you (?:cannot|can't|are unable to|have trouble) (?:read|view|see|viewing|reading)"
        r"|\bunsubscribe\b|to be removed from|\bopt[- ]out\b|(?:you are|you're) receiving this"
        r"|(?:special|limited[- ]time|exclusive) offer|\bfree (?:trial|shipping|report)\b"
        r"|point your (?:web )?browser|(?:act|hurry|order|subscribe|register|sign up) (?:now|today)"
    ),
    # agreeing to what the other side proposed: "Yes, let's do it." "Sounds good!"
    "acceptance": r"\blet's (?:do (?:it|that|this)|go for it)\W*$|\bsounds (?:good|great|perfect)\W*$",
}
_RULES_RE = _rules({**_GIVE_RULES, **_ASK_RULES, **_SMALL_TALK_RULES})
# Advertising and mass mail give themselves away: "if you cannot read this email", "unsubscribe".
_BROADCAST_RE = _words(_SMALL_TALK_RULES["broadcast"])
# Rules precise enough to decide alone (>= 0.95 precision on the enron-intent train split);
# "please" and imperatives (about 0.8: newsletters say "please" too) only inform the model.
_DECISIVE_ASKS = frozenset(
    {"direct_request", "modal_you", "let_me_know", "wish", "availability", "proposal"}
)
_ASK_LABEL = {
    "direct_request": "asks for an introduction or referral",
    "modal_you": "could/would/can you…",
    "please": "please…",
    "let_me_know": "let me know…",
    "wish": "I'd like / I'd love / I need…",
    "availability": "asks about the reader's time or willingness",
    "proposal": "proposes (let's…, can we…, works for me)",
    "imperative": "starts with a request verb",
}

# Topics of an ask, in priority order (the first that fires names the subkind).
_TOPIC_RE = _rules(
    {
        "introduction_request": (
            r"\bintroduc\w*|\bintro\b|\bput (?:me|us) in touch\b|\bconnect (?:me|us) (?:with|to)\b"
            r"|\bknow (?:anyone|anybody|someone|somebody)\b"
        ),
        "referral": r"\brefer(?:ral|rals|red|ring)?\b|\bput in a (?:good )?word\b|\brecommend me\b|\bvouch\b",
        "feedback": (
            r"\bfeedback\b|\bthoughts\b|\breview\b|\bcritique\b|\bcomments?\b|\binput\b|\bopinion\b"
            r"|\beyes on\b|\btake a look\b|\blook (?:over|at)\b|\bproofread\b"
            r"|\bon my (?:deck|portfolio|resume|cv|draft|pitch|proposal|plan|profile|essay|website)\b"
        ),
        "meeting": (
            r"\b(?:meet|meeting|coffee|lunch|dinner|breakfast|drinks?|call|chat|catch up|catch-up"
            r"|get together|zoom|hop on|sync|talk|minutes|half an hour|an hour|calendar|schedule"
            r"|reschedule|availability|works for you"
            r"|available|free (?:on|this|next|for)|visit|stop by|swing by)\b"
        ),
        "request_for_help": (
            r"\b(?:help|advice|advise|assist|assistance|support|guidance|pick your brain|mentor\w*"
            r"|tips?|suggestions?|recommendations?)\b"
        ),
    }
)

_TOPIC_PRIORITY = ("introduction_request", "referral", "feedback", "meeting", "request_for_help")

_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TIME_RE = _words(
    rf"\b{_DAYS}s?\b|\b(?:today|tonight|tomorrow|asap|eod|eow|cob|deadline)\b"
    r"|\bas soon as possible\b|\bend of (?:the )?(?:day|week|month|quarter)\b"
    r"|\b(?:this|next) (?:week|weekend|month|morning|afternoon|evening|quarter|few days)\b"
    r"|\b(?:within|in the next) (?:a|an|one|two|three|\d+) (?:hours?|days?|weeks?)\b"
    rf"|\b(?:by|before|until) (?:the )?(?:\d|{_MONTHS}|end\b|noon\b)"
    r"|\b\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)"
    rf"|\b\d{{1,2}}/\d{{1,2}}\b|\b{_MONTHS} \d{{1,2}}(?:st|nd|rd|th)?\b",
)
_SPECIFIC_RE = _words(
    r"\b(?:\d+|one|two|three|five|ten|fifteen|twenty|thirty|forty-five)(?:\s?-\s?\d+)?\s?"
    r"(?:min|mins|minutes?|hours?|hrs?|pages?|slides?|questions?)\b|\bhalf an hour\b"
    r"|\b(?:my|the|our|this|your|a) (?:pitch )?(?:deck|portfolio|resume|cv|draft|proposal|slides"
    r"|document|doc|report|contract|spreadsheet|file|profile|application|pitch|plan|paper|essay"
    r"|website|article|code|pull request|memo|agenda|budget|invoice|offer|presentation|demo"
    r"|prototype|cover letter|intro(?:duction)?|referral)\b",
)
# A named person or company after a preposition ("to Priya", "at Acme"): case matters here.
_NAMED_RE = re.compile(
    r"\b(?:to|with|at|from|meet|for)\s+(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January"
    r"|February|March|April|May|June|July|August|September|October|November|December|I\b)"
    r"[A-Z][A-Za-z'-]+"
)
_VAGUE_RE = _words(
    r"\b(?:ever|sometime|some time|at some point|whenever|someday|one of these days|anytime"
    r"|any time|in the future|down the road|catch up|pick your brain|touch base|keep in touch"
    r"|stay in touch)\b",
)

# LinkedIn's stock invitation notes: a connection request nobody wrote is neither give nor ask.
_STOCK_INVITATION_RE = re.compile(
    r"(?:(?:hi|hello|hey|dear) [^,.!]{1,40}[,!]?\s*)?i'd like to (?:join your (?:professional"
    r" |linkedin )?network|add you to my professional network on linkedin)[.!]?"
    r"(?:\s*-\s*[^,.!]{1,40})?",
    re.IGNORECASE,
)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")
_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|\?")
_TYPOGRAPHY = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}
)


@dataclass(frozen=True, slots=True)
class Model:
    """The linear model: p(ask) = sigmoid(bias + sum of the weights of a sentence's features)."""

    bias: float
    threshold: float
    weights: dict[str, float]


@lru_cache(maxsize=1)
def _model() -> Model:
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    return Model(float(data["bias"]), float(data["threshold"]), data["weights"])


def normalise(text: str) -> str:
    """The text as the rules see it: bounded, entities decoded, typographic quotes made plain."""
    text = text[:MAX_CHARS]
    if "&" in text:
        text = html.unescape(text)
    return text.translate(_TYPOGRAPHY).strip()


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_RE.split(text) if s]


def features(sentence: str, rules: Iterable[str] = ()) -> set[str]:
    """Model features of one sentence: words, word pairs (with a start marker) and rule flags.

    The training script and the classifier both call this, so they cannot drift apart.
    """
    tokens = ["0" if t[0].isdigit() else t for t in _TOKEN_RE.findall(sentence.lower())]
    found = set(tokens)
    found.update(f"{a} {b}" for a, b in zip(["<s>", *tokens], tokens, strict=False))
    found.update(f"rule:{name}" for name in rules)
    return found


def rule_hits(sentence: str) -> dict[str, str]:
    """Every rule that fires in one sentence, with the text it matched, in reading order."""
    matched: dict[str, str] = {}
    for m in _RULES_RE.finditer(sentence.lower()):
        matched.setdefault(m.lastgroup or "", m.group())
    return matched


def ask_probability(found: set[str], model: Model | None = None) -> float:
    """The model's probability that a sentence with these features is an ask."""
    model = model or _model()
    get = model.weights.get
    # Features are scaled by 1/sqrt(count) (a unit-length vector), so a long sentence does not
    # pile up evidence just by being long.
    score = model.bias + sum(map(get, found, repeat(0.0))) / math.sqrt(max(len(found), 1))
    return 1.0 / (1.0 + math.exp(-score))


def _top_features(found: set[str], weights: dict[str, float], n: int = 3) -> str:
    """The features that pushed hardest towards "ask", with their share of the score."""
    scale = math.sqrt(max(len(found), 1))
    scored = sorted(((weights[f], f) for f in found if f in weights), reverse=True)[:n]
    return ", ".join(f"'{f}' {w / scale:+.2f}" for w, f in scored if w > 0)


def _actor(outbound: bool | None) -> str | None:
    return None if outbound is None else ("owner" if outbound else "contact")


def _ask(
    text: str, sentence: str, why: str, outbound: bool | None, p: float | None
) -> Classification:
    lower = text.lower()
    topics = {m.lastgroup for m in _TOPIC_RE.finditer(sentence.lower())} or {
        m.lastgroup for m in _TOPIC_RE.finditer(lower)
    }
    subkind = next((k for k in _TOPIC_PRIORITY if k in topics), "other")
    specific = _SPECIFIC_RE.search(lower) or _NAMED_RE.search(text)
    time_bound = _TIME_RE.search(lower)
    vague = _VAGUE_RE.search(lower)
    details = [
        f"subkind {subkind}",
        f"specific ('{specific.group()}')"
        if specific
        else "not specific"
        + (f" ('{vague.group()}')" if vague else " (no concrete thing or person)"),
        f"time-bound ('{time_bound.group()}')" if time_bound else "no time bound",
    ]
    return Classification(
        kind=ASK,
        subkind=subkind,
        reason=f"{why}; " + "; ".join(details),
        is_specific=specific is not None,
        is_time_bound=time_bound is not None,
        actor=_actor(outbound),
        ask_probability=p,
    )


@lru_cache(maxsize=1)
def classifier_version() -> str:
    """Changes whenever the rules (this file) or the model (`weights.json`) change: a text
    classified by one version is classified again by the next (core.text_classifications)."""
    digest = hashlib.sha1(Path(__file__).read_bytes())
    digest.update(WEIGHTS_PATH.read_bytes())
    return digest.hexdigest()[:16]


def classify(text: str, *, outbound: bool | None = None) -> Classification:
    """Classify one message (an email snippet, a LinkedIn message or invitation note).

    `outbound` is True when the owner wrote it; it only sets `actor` (whose give or ask it is):
    the words decide the kind either way.
    """
    return classify_with(text, _model(), outbound=outbound)


def classify_with(text: str, model: Model, *, outbound: bool | None = None) -> Classification:
    """`classify` with a given model: training tunes the threshold through this same path."""
    text = normalise(text)
    if not text:
        return Classification(NEUTRAL, None, "empty text", actor=_actor(outbound))
    if _STOCK_INVITATION_RE.fullmatch(text):
        return Classification(
            NEUTRAL, None, "LinkedIn's stock invitation text", actor=_actor(outbound)
        )
    mass = _BROADCAST_RE.search(text.lower())
    if mass:
        return Classification(
            NEUTRAL,
            None,
            f"mass mail ('{mass.group()}'): asks and gives nobody in particular",
            actor=_actor(outbound),
        )
    give: tuple[int, str, str] | None = None  # (priority, rule, matched text)
    model_ask: tuple[float, str, set[str]] | None = None
    best_p = 0.0
    small_talk = ""
    for sentence in sentences(text):
        hits = rule_hits(sentence)
        gives = [r for r in hits if r in _GIVE_RULES]
        for g in gives:
            rank = GIVE_SUBKINDS.index(g)
            if give is None or rank < give[0]:
                give = (rank, g, hits[g])
        decisive = [r for r in hits if r in _DECISIVE_ASKS]
        if decisive and not any(g in _OFFERS for g in gives):
            rule = decisive[0]
            why = f"ask rule '{_ASK_LABEL[rule]}' matched '{hits[rule]}'"
            return _ask(text, sentence, why, outbound, None)
        if gives:
            continue
        chat = next((r for r in hits if r in _SMALL_TALK_RULES), None)
        if chat is not None:
            small_talk = small_talk or hits[chat]
            continue
        found = features(sentence, hits)
        p = ask_probability(found, model)
        best_p = max(best_p, p)
        if p >= model.threshold and (model_ask is None or p > model_ask[0]):
            model_ask = (p, sentence, found)
    if give is not None:
        _, rule, matched_text = give
        return Classification(
            GIVE,
            rule,
            f"give rule '{_GIVE_LABEL[rule]}' matched '{matched_text}'",
            actor=_actor(outbound),
        )
    if model_ask is not None:
        p, sentence, found = model_ask
        why = f"model p(ask)={p:.2f} >= {model.threshold:.2f} (strongest: {_top_features(found, model.weights)})"
        return _ask(text, sentence, why, outbound, p)
    chat = f"small talk ('{small_talk}'); " if small_talk else ""
    return Classification(
        NEUTRAL,
        None,
        f"{chat}no give or ask rule matched; model p(ask)={best_p:.2f} < {model.threshold:.2f}",
        actor=_actor(outbound),
        ask_probability=best_p,
    )


_STRUCTURAL_GIVES = {"endorsement": "endorsement", "recommendation": "recommendation"}


def classify_structural(channel: str, direction: str) -> Classification | None:
    """The kind a touch has by its nature, before any text is read; None when the text decides.

    An endorsement or recommendation given (outbound) is the owner's give; received (inbound) is
    the contact's give to the owner.
    """
    subkind = _STRUCTURAL_GIVES.get(channel)
    if subkind is None:
        return None
    if direction == "outbound":
        return Classification(GIVE, subkind, f"{channel} given by the owner", actor="owner")
    if direction == "inbound":
        return Classification(
            GIVE, subkind, f"{channel} received from the contact", actor="contact"
        )
    raise ValueError(f"direction must be 'outbound' or 'inbound', not {direction!r}")


_INTRO_CUE_RE = re.compile(
    r"\bintro(?:duc\w*)?\b|\bmeet\b|\bconnect(?:ing)?\b|\bin touch\b|\bshould (?:talk|know)\b"
    r"|\b(?:cc'?ing|cc'd|bcc)\b"
)


def classify_introduction(
    *,
    outbound: bool,
    recipients: Sequence[str],
    known_pairs: Container[frozenset[str]],
    text: str,
    max_recipients: int = 4,
) -> Classification | None:
    """An introduction email: the owner writes to a few people, at least two of whom had never
    been in touch (no pair in `known_pairs`), with words of introduction in the subject or text.

    `recipients` are person keys (To and Cc, the owner excluded); `known_pairs` holds the pairs
    of person keys seen together before this email. Returns a give (to every recipient) or None.
    """
    people = sorted(set(recipients))
    if not outbound or not 2 <= len(people) <= max_recipients:
        return None
    if not _INTRO_CUE_RE.search(text.lower()):
        return None
    new = [
        (a, b)
        for i, a in enumerate(people)
        for b in people[i + 1 :]
        if frozenset((a, b)) not in known_pairs
    ]
    if not new:
        return None
    pairs = ", ".join(f"{a} & {b}" for a, b in new)
    return Classification(
        GIVE,
        "introduction",
        f"the owner introduces people who had not been in touch before: {pairs}",
        actor="owner",
    )
