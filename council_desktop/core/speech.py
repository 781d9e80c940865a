"""What the viewer reads: a defect checker for the council's turns, and the generation policy that
keeps tiny models on track (docs/speech.md).

The checker is plain text analysis, cheap enough to run on every turn as it finishes. It finds the
defects a person notices at once:

- ``echo``: the turn copies our instructions (or its own system prompt) — six words or more in a row;
- ``self_repeat``: a rebuttal that says its own opinion again, or a synthesis / chairman's answer that
  copies one member;
- ``loop``: a phrase said three times or more, or a sentence said twice;
- ``role_label``: the turn opens with a label ("Optimist:", "Answer:"), speaks as another member, or
  breaks persona ("as an AI language model");
- ``meta``: talk about scores, rankings or the council's procedure instead of the question;
- ``off_topic``: not one content word of the question;
- ``cut_off``: ends mid-sentence;
- ``empty``: no words at all.

The first four (and ``empty``) are *hard*: the pipeline regenerates such a turn once and keeps the
better of the two. The others count against the clean-turn rate but are not worth a second try.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

DEFECT_CLASSES = ("echo", "self_repeat", "loop", "role_label", "meta", "off_topic", "cut_off", "empty")
HARD_DEFECTS = frozenset({"echo", "self_repeat", "loop", "role_label", "empty"})
# The defects ``trim_repeats`` can take out of a turn (its last resort when both tries have one).
TRIMMABLE = frozenset({"echo", "self_repeat", "loop"})
# Words in a row copied from the prompt that make a turn an echo.
_ECHO_RUN = 6

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_STOP_WORDS = """
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each either even ever every few for from
further get gets give had has have having he her here hers him his how i if in into is it its itself just
let lets may me might more most much must my myself no nor not now of off on once one only or other our
ours out over own rather same shall she should so some such than that the their theirs them then there
these they this those through to too under until up upon us very was way we were what when where which
while who whom why will with within without would yes yet you your yours
"""
_STOP = frozenset(_STOP_WORDS.split())

# "Optimist:", "**Sage**:", "Answer -" at the very start, or a line that starts as another speaker.
_GENERIC_LABELS = ("assistant", "user", "system", "answer", "response", "opinion", "rebuttal", "statement",
                   "final statement", "synthesis", "chairman", "chair", "council", "the council", "question",
                   "human", "ai", "moderator", "narrator", "speaker", "me")
_PERSONA_BREAK = re.compile(
    r"\b(?:as an? (?:ai|artificial intelligence|language model|assistant|chatbot|large language model)"
    r"|i(?:'m| am) (?:an? )?(?:ai|artificial intelligence|language model|assistant|chatbot)\b"
    r"|i (?:do not|don't) have (?:personal )?(?:opinions|feelings|beliefs)"
    r"|i cannot (?:have|form|give|express) (?:personal )?opinions)", re.IGNORECASE)
_SCORE_TALK = re.compile(
    r"\b(?:scor(?:e|es|ed|ing)|points?|out of (?:10|ten)|of 10\b|rated|ratings?|ranked|rankings?|mean score"
    r"|average rank|peer review|lowest|highest)\b", re.IGNORECASE)
_NUMBER_LIST = re.compile(r"\b\d{1,2}(?:\s*,\s*\d{1,2}){2,}\b")
_COUNCIL_TALK = re.compile(
    r"\b(?:council|fellow members|other members|the members|my fellow|rebuttal"
    r"|response [a-h]\b|the question (?:i was|we were) asked|my (?:earlier|previous|first) answer)",
    re.IGNORECASE)
# A parenthesis after a speaker's label, as in "Sage (opinion):" (copied from an old synthesis prompt).
_ASIDE = r"(?:\s*\([A-Za-z ]{1,20}\))?"
_SENTENCE_END = ("." , "!", "?", "\"", "”", "’", "'", ")", "*")
_SENTENCE_BREAK = r"(?<=[.!?])\s+|\n+"


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def stem(word: str) -> str:
    """A crude stem, enough to match "lying"/"lies", "cities"/"city", "banned"/"ban" in checks."""
    w = word.lower()
    for suffix, repl in (("ies", "y"), ("ying", "ie"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""),
                         ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: len(w) - len(suffix)] + repl
            break
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # banned -> bann -> ban
    return w[:6]


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in _STOP and len(w) > 2 and not w.isdigit()}


def ngrams(seq: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(seq[i:i + n]) for i in range(len(seq) - n + 1)]


def longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """The longest run of words ``a`` and ``b`` share, in order (dynamic programming, O(len a × len b))."""
    if not a or not b:
        return 0
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(_SENTENCE_BREAK, text) if s.strip()]


@dataclass(frozen=True)
class Defect:
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@dataclass(frozen=True)
class TurnContext:
    """What a turn is checked against. ``instructions`` is the prompt text the model must not copy (our
    wording and its system prompt, never the quoted words of others); ``own`` its own earlier turn (for a
    rebuttal); ``sources`` the other turns it must not copy, by speaker (a synthesis or chairman's answer:
    the turns it draws on; a rebuttal: the other members' opinions)."""

    kind: str  # opinion | rebuttal | synthesis | answer | topic
    speaker: str  # the member's display name
    topic: str = ""
    instructions: str = ""
    own: str = ""
    sources: Mapping[str, str] = field(default_factory=dict)
    names: Sequence[str] = ()  # every member's display name


def check(text: str, ctx: TurnContext) -> list[Defect]:
    """Every defect of one finished turn (already cleaned), in DEFECT_CLASSES order."""
    out: list[Defect] = []
    ws = words(text)
    if len(ws) < 3:
        return [Defect("empty", f"{len(ws)} words")]
    if ctx.instructions:
        run = longest_common_run(ws, words(ctx.instructions))
        if run >= _ECHO_RUN:
            out.append(Defect("echo", f"{run} words in a row copied from the prompt"))
    for kind, why in (("self_repeat", _self_repeat(ws, ctx)), ("loop", _loop(text, ws)),
                      ("role_label", _role_label(text, ctx)), ("meta", _meta(text, ctx))):
        if why:
            out.append(Defect(kind, why))
    if ctx.topic and ctx.kind in ("opinion", "rebuttal", "synthesis", "answer"):
        topic_words = content_stems(ctx.topic)
        said = content_stems(text)
        if topic_words and not (topic_words & said) and not (ctx.own and content_stems(ctx.own) & said & topic_words):
            out.append(Defect("off_topic", "not one content word of the question"))
    if not text.rstrip().endswith(_SENTENCE_END) or text.rstrip().endswith(("…", "...")):
        out.append(Defect("cut_off", f"ends with {text.rstrip()[-20:]!r}"))
    return out


def hard(defects: Iterable[Defect]) -> list[Defect]:
    return [d for d in defects if d.kind in HARD_DEFECTS]


def badness(defects: Sequence[Defect]) -> tuple[int, int]:
    """Orders two attempts at a turn: fewer hard defects first, then fewer defects of any kind."""
    return (len(hard(defects)), len(defects))


def _self_repeat(ws: list[str], ctx: TurnContext) -> str:
    if ctx.kind == "rebuttal" and ctx.own:
        own = words(ctx.own)
        run = longest_common_run(ws, own)
        mine = set(ngrams(ws, 4))
        shared = len(mine & set(ngrams(own, 4))) / len(mine) if mine else 0.0
        if run >= 10 or shared >= 0.4:
            return f"repeats its own opinion ({run} words in a row, {shared:.0%} of its 4-word phrases)"
    if ctx.kind in ("synthesis", "answer", "rebuttal") and ctx.sources:
        mine = set(ngrams(ws, 4))
        for name, src in ctx.sources.items():
            theirs = words(src)
            run = longest_common_run(ws, theirs)
            src_grams = set(ngrams(theirs, 4))
            copied = len(src_grams & mine) / len(src_grams) if src_grams else 0.0
            mine_copied = len(src_grams & mine) / len(mine) if mine else 0.0
            if run >= 15 or (copied >= 0.6 and len(src_grams) >= 8) or (mine_copied >= 0.5 and len(mine) >= 8):
                return f"copies {name} ({run} words in a row, {copied:.0%} of its 4-word phrases)"
    return ""


def trim_repeats(text: str, ctx: TurnContext) -> tuple[str, list[str]]:
    """The turn without the sentences that copy the prompt (six words in a row, as the echo check), say
    its own opinion again (a rebuttal) or say one of its sentences a second time, and the sentences
    dropped; the text as it is when nothing would be dropped or nothing would be left. The last resort of
    a turn whose two tries both repeat: what stays is the model's own words, in order, and the event log
    keeps what was dropped."""
    parts = re.split(f"({_SENTENCE_BREAK})", text)
    prompt = words(ctx.instructions) if ctx.instructions else []
    own = words(ctx.own) if ctx.kind == "rebuttal" and ctx.own else []
    own_grams = set(ngrams(own, 4))
    kept: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for i in range(0, len(parts), 2):
        sentence, sep = parts[i], (parts[i + 1] if i + 1 < len(parts) else "")
        ws = words(sentence)
        key = " ".join(ws)
        grams = set(ngrams(ws, 4))
        copied = bool(own) and (longest_common_run(ws, own) >= 8 or
                                (len(grams) >= 2 and len(grams & own_grams) / len(grams) >= 0.5))
        copied = copied or (bool(prompt) and longest_common_run(ws, prompt) >= _ECHO_RUN)
        if sentence.strip() and (copied or (len(ws) >= 5 and key in seen)):
            dropped.append(sentence.strip())
        else:
            kept += [sentence, sep]
        seen.add(key)
    left = "".join(kept).strip()
    if not dropped or not words(left):
        return text, []
    return left, dropped


def _loop(text: str, ws: list[str]) -> str:
    for n in (6, 5, 4, 3):
        grams = Counter(g for g in ngrams(ws, n) if sum(w not in _STOP for w in g) >= 1)
        if grams:
            gram, count = grams.most_common(1)[0]
            if count >= 3 and (n >= 4 or count >= 4):
                return f"\"{' '.join(gram)}\" {count} times"
    seen: set[str] = set()
    for s in sentences(text):
        key = " ".join(words(s))
        if len(key.split()) >= 5 and key in seen:
            return f"the sentence \"{s[:60]}\" twice"
        seen.add(key)
    return ""


def _role_label(text: str, ctx: TurnContext) -> str:
    head = text.lstrip(" *#_\"'“>")
    names = [n for n in ctx.names if n]
    labels = [*(n.lower() for n in names), *_GENERIC_LABELS]
    m = re.match(rf"([A-Za-z][A-Za-z .'-]{{0,30}}?){_ASIDE}\s*\**\s*[:\-–]\s", head)
    if m and m.group(1).strip().lower() in labels:
        return f"opens with the label {m.group(1).strip()!r}"
    for line in text.splitlines()[1:]:
        lm = re.match(rf"\s*\**([A-Za-z][A-Za-z .'-]{{0,30}}?)\**{_ASIDE}\s*:\s", line)
        if lm and lm.group(1).strip().lower() in labels:
            return f"a line speaks as {lm.group(1).strip()!r}"
    for name in names:
        if name == ctx.speaker:
            continue
        if re.search(rf"\b(?:I am|I'm|as|I, |this is)\s*{re.escape(name)}\b", text) and \
                not re.search(rf"\b(?:as|like)\s+{re.escape(name)}\s+(?:said|says|argued|argues|put it|noted)",
                              text):
            return f"speaks as {name}"
    persona = _PERSONA_BREAK.search(text)
    if persona:
        return f"breaks persona ({persona.group(0)!r})"
    return ""


def _meta(text: str, ctx: TurnContext) -> str:
    topic_has = set(words(ctx.topic))
    score = [m.group(0) for m in _SCORE_TALK.finditer(text) if m.group(0).lower() not in topic_has]
    if ctx.kind == "synthesis":
        # The chairman may name members and "the council"; talk of scores is still procedure.
        score = [s for s in score if s.lower() not in ("lowest", "highest")]
    if _NUMBER_LIST.search(text) and not _NUMBER_LIST.search(ctx.topic):
        return f"lists scores ({_NUMBER_LIST.search(text).group(0)!r})"  # type: ignore[union-attr]
    if score and any(s.lower() not in ("lowest", "highest", "points", "point") for s in score):
        return f"talks about the scoring ({score[0]!r})"
    if ctx.kind in ("opinion", "rebuttal", "answer"):
        council = _COUNCIL_TALK.search(text)
        if council and council.group(0).lower() not in ctx.topic.lower():
            return f"talks about the council instead of the question ({council.group(0)!r})"
    return ""


# -- topics ---------------------------------------------------------------------------------------------

_TOPIC_JUNK = re.compile(
    r"^(?:the|my|a|an|our|one|here(?:'s| is)?)?\s*(?:short\s+|open\s+|new\s+|good\s+)?"
    r"(?:question|topic|proposal|debate|prompt)\b[^?]*?(?:is|was|:)\s*", re.IGNORECASE)


_OPENERS = ("should is are can could would will do does did must was were has have what why how which who whom "
            "when where")
_QUESTION_OPENERS = frozenset(_OPENERS.split())
# "Can you provide a hypothetical scenario…?": a request to the listener, not a question to take sides on.
_REQUEST = re.compile(r"(?:(?:can|could|would|will) you (?:please )?(?:provide|give|tell|describe|explain|imagine"
                      r"|think of|name|list|share|write|suggest|propose|help)\b"
                      r"|(?:what )?(?:would|do) you (?:like|want) to (?:know|ask|hear|discuss|talk)\b)", re.IGNORECASE)
# "What would they choose?", "Is this right?": a pronoun that stands for something the question never names.
_DANGLING = re.compile(r"(?:\w+\s+){0,2}?(?:they|he|she|this|that|these|those|them)\s+\w+\W*$"
                       r"|(?:is|are|was|were|does|do)\s+(?:this|that|these|those|they)\b", re.IGNORECASE)


# Words that point at something said before the question, which a standalone question never has: a
# demonstrative ("this city", "these", "such laws"), "that" as a pronoun ("What's the answer to that?", "Is
# that fair?") or after a preposition ("at that shop"), a reference to a list or a text ("the following",
# "the above", "the answer"), a connective that continues a conversation ("for example", "also", "if so",
# "…instead?"). "This year", "those who", "such as" and "that" starting a clause ("a law that…") are fine.
_POINTS_BACK = re.compile(
    r"\b(?:this|these)\b(?!\s+(?:week|weekend|year|month|day|days|century|decade|era|generation|time|times|age"
    r"|morning|evening|summer|winter|spring|autumn|season|moment)\b)"
    r"|\bthose\b(?!\s+(?:who|whom|whose|that|which|with|without|in|of|on|at|from|living|working|born)\b)"
    r"|\bsuch\b(?!\s+as\b)(?![^?]*\bthat\b)"
    r"|\bthat\s*[?!.,;:]"
    r"|^(?:\w+(?:['’]\w+)?\s+)?(?:is|was|are|were|should|would|could|can|will|does|do|did|has|have|must|isn['’]t)\s+that\b"
    r"|\b(?:to|at|about|of|with|for|from|on|in|by|like|into|than|over|after|before|without|against)\s+that\b"
    r"(?!\s+(?:is|are|was|were|can|could|will|would|should|may|might|has|have|had|do|does|did)\b)"
    r"|\bthe\s+(?:following|above|former|latter|aforementioned|previous|answer"
    r"|(?:(?:first|second|third|last|next|other|two|three)\s+)?(?:statements?|scenarios?|examples?|passages?|texts?"
    r"|options?|ones?))\b"
    r"|\b(?:as follows|mentioned|listed|here|for example|for instance|as well|if so|if not|otherwise|also)\b"
    r"|\b(?:too|instead|then|again|either)\s*[?!.,]", re.IGNORECASE)
# A third-person pronoun before anything it could stand for ("Should they ban it?", "Should their parents
# pay?"); "it" that announces a clause ("Is it fair to…", "Is it true that…") stands for that clause.
_PRONOUN_WORDS = "they them their theirs themselves he him his himself she her hers herself it its itself"
_PRONOUNS = frozenset(_PRONOUN_WORDS.split())
# Words that name no subject: a question made only of these ("What should people do differently?", "Should
# people have more?") gives nothing to take a side on.
_GENERIC_LIST = """
people person persons someone somebody everyone everybody anyone anybody one ones others thing things something
anything everything nothing stuff way ways world life lives time times day days kind sort lot lots part fact
differently different better worse best worst okay ok fine able allowed possible really
truly actually ever always never anymore still even else new old much many little well make makes made making
happen happens happened get gets got go goes went gone want wants need needs think thinks know knows choose
chooses say says mean means matter matters feel feels like take takes give gives put see sees come comes use
uses try tries keep keeps let lets change changes changed become becomes done doing
"""
_GENERIC_WORDS = frozenset(_GENERIC_LIST.split())
# An open question is a debate question when it asks for a judgement ("What's the best way to…?", "What makes
# a good person?", "Which is fairer, X or Y?"); otherwise it asks for information, a suggestion or a reason
# ("What should a game's design be?", "What's the answer to that?", "Why should anyone … believe in their
# mission?"), with no side to take.
_OPEN_WORDS = "what which who whom whose when where how why"
_OPEN = frozenset(_OPEN_WORDS.split())
_JUDGEMENT_WORDS = """
best worst better worse good bad right wrong fair unfair fairer fairest just unjust
ideal wise wiser wisest harmful dangerous worth
"""
_JUDGEMENT = frozenset(_JUDGEMENT_WORDS.split())
# "Does the food make you happy?", "Which food do you eat?": the listener's own life or taste, not a question
# for five people to take sides on ("Would you break a promise to save a stranger?" is a dilemma: fine).
_PERSONAL = re.compile(r"\b(?:do|does|did|are|were|have|has|makes?|made)\s+you\b", re.IGNORECASE)
_TWO_QUESTIONS = re.compile(r"[,;]\s*(?:and|but)\s+(?:what|how|why|who|which|where|when|if)\b", re.IGNORECASE)


# "homework that is so unruly": "so" as much as what? (not "so that", "so as", "so much"; in "Why is money so
# hard to live on?" it stresses a property the question names).
_SO_WHAT = re.compile(r"\bso\s+(?!(?:that|as|much|many|far|long|called|on|forth)\b)\w+", re.IGNORECASE)
# "Is there a book that has the greatest deal of moral ambiguity?", "Is there a way to know…?": asks for an
# example or a method, not for a side ("Is there life after death?" is fine).
_EXAMPLE = re.compile(r"^(?:is|are)\s+there\s+(?:a|an|any|some|one)\b", re.IGNORECASE)


def _bare(word: str) -> str:
    """A word without a contraction or possessive ("what's" -> "what", "game's" -> "game")."""
    return word.split("'")[0]


def subject_words(text: str) -> list[str]:
    """The words of a question that name what it is about: not stop words, not generic words."""
    return [b for b in (_bare(w) for w in words(text))
            if b not in _STOP and b not in _GENERIC_WORDS and b not in _QUESTION_OPENERS and len(b) > 2
            and not b.isdigit()]


def points_at_nothing(text: str) -> str:
    """What in a question stands for something it never names (empty when nothing does)."""
    m = _POINTS_BACK.search(text) or (None if text.lower().startswith("why") else _SO_WHAT.search(text))
    if m:
        return m.group(0).strip(" ?!.,;:")
    ws = [_bare(w) for w in words(text)]
    for i, w in enumerate(ws):
        if w in _PRONOUNS:
            if any(b not in _STOP and b not in _QUESTION_OPENERS and len(b) > 2 for b in ws[:i]):
                return ""  # something named before it
            if w == "it" and any(x in ("to", "that", "if", "whether", "when") for x in ws[i + 1:]):
                continue  # "Is it fair to…": it stands for the clause
            return w
    return ""


def on_subject(text: str, area: str) -> bool:
    """Whether a question names the subject it was asked about ("museums" in "Should museums be free?",
    "the environment" in "Should the environment come first?"; "space" in "spaceship")."""
    mine = {stem(_bare(w)) for w in words(text)}
    wanted = [stem(w) for w in words(area) if w not in _STOP]
    return any(m.startswith(a) or (len(m) >= 4 and a.startswith(m)) for a in wanted for m in mine)


def topic_defects(text: str, recent: Sequence[str] = (), area: str = "") -> list[str]:
    """Why a proposed topic is not a clean, standalone, fresh debate question (empty when it is). ``area``:
    the subject the candidate was asked to be about; a question that never names it has drifted away from
    any subject ("Should we just focus on what really matters?")."""
    why = []
    t = text.strip()
    ws = words(t)
    if not t.endswith("?"):
        why.append("no question mark at the end")
    if t.count("?") > 1:
        why.append("more than one question")
    if not (4 <= len(ws) <= 30):
        why.append(f"{len(ws)} words")
    if t[:1] and not t[:1].isupper():
        why.append("does not start with a capital letter")
    # Also a single quote opening a quoted question: "What if someone asked, 'Should families…?"
    if re.match(r"^\W", t) or re.search(r"[\"“”*#_<>\[\]{}|]|(?:^|[\s,:])['‘`]\s*[A-Z]", t):
        why.append("quotes, labels or markup")
    if re.match(r"^[A-Za-z][\w ]{0,20}:", t) or _TOPIC_JUNK.match(t):
        why.append("a label or preamble before the question")
    if re.search(r"\b(?:council|debat\w*|questions?|propos\w*|topic|argu(?:e|ed|ing)|disagree\w*|opinions?"
                 r"|talk(?:ing)? about|discuss\w*|people (?:believe|think|say|feel|agree))\b",
                 t, re.IGNORECASE):
        why.append("talks about the debate instead of asking")
    if ws and ws[0].split("'")[0] not in _QUESTION_OPENERS:  # "what's" opens as "what"
        why.append(f"not a question (opens with {ws[0]!r})")
    if _REQUEST.match(t):
        why.append("asks for something instead of asking a question")
    if len(content_stems(t)) < 2 or _DANGLING.match(t):
        why.append("too vague to argue about")
    elif not subject_words(t):
        why.append("no subject to take sides on")
    pointer = points_at_nothing(t)
    if pointer:
        why.append(f"points at something it never names ({pointer!r})")
    if ws and _bare(ws[0]) in _OPEN and " or " not in t and not _JUDGEMENT & {_bare(w) for w in ws}:
        why.append("an open question with no side to take")
    # An open question put to "you" ("What can you do to make family a better place…?") asks for advice.
    if _PERSONAL.search(t) or (re.search(r"\byour?\b", t, re.IGNORECASE) and ws and _bare(ws[0]) in _OPEN):
        why.append("asks about the listener, not a question to take sides on")
    if _EXAMPLE.match(t):
        why.append("asks for an example, not a side to take")
    if _TWO_QUESTIONS.search(t):
        why.append("asks two questions")
    # "Should robots be allowed to create their own desires, happiness?", "…by making it easier, more accessible?"
    if re.search(r",\s*(?!or\b)\w+(?:\s+\w+)?\s*\?$", t):
        why.append("words tacked on after the question")
    # "Should we colonise other planets?" asks about everyone; "Should I wear a helmet?" about the speaker.
    if re.search(r"\b(?:I|me|my|mine|myself)\b", t):
        why.append("speaks about itself")
    if area and not on_subject(t, area):
        why.append(f"not about {area}, the subject it was asked about")
    recombined = recombines(t, recent)
    if recombined:
        why.append(recombined)
    return why


def topic_novelty(text: str, recent: Sequence[str]) -> float:
    """1 minus the largest share of the candidate's content words found in any one recent topic."""
    mine = content_stems(text)
    if not mine or not recent:
        return 1.0
    return 1.0 - max(len(mine & content_stems(r)) / len(mine) for r in recent)


def recombines(text: str, recent: Sequence[str]) -> str:
    """Whether a candidate repeats a recent topic or stitches two of them together ("…, or …")."""
    mine = content_stems(text)
    if not mine:
        return ""
    overlaps = [(r, mine & content_stems(r)) for r in recent]
    if topic_novelty(text, recent) <= 0.5:
        return "repeats a recent topic"
    hit = [r for r, shared in overlaps if shared]
    covered = set().union(*(shared for _, shared in overlaps)) if overlaps else set()
    if len(hit) >= 2 and len(covered) / len(mine) >= 0.4:
        return "recombines recent topics"
    return ""


# -- the generation policy ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpeechPolicy:
    """The levers that keep tiny models on track, each of which the speech bench can turn off.

    ``repetition``: llama.cpp's penalties and DRY samplers (with the text a turn must not repeat fed to
    their history); ``min_p``: drop tokens below this share of the best one; ``stage_temperature``: a
    factor per turn kind on the member's own temperature (0 turns it off); ``regenerate``: the live
    checker's second try for a turn with a hard defect; ``topic_candidates``: questions the proposer
    writes in one batch before choosing one; ``role_stops``: stop strings for a line opening with a
    speaker's label."""

    repetition: bool = True
    min_p: float = 0.08
    stage_temperature: Mapping[str, float] = field(default_factory=lambda: {
        "topic": 1.0, "opinion": 0.85, "answer": 0.7, "rebuttal": 0.8, "synthesis": 0.6})
    max_temperature: float = 0.8
    regenerate: bool = True
    topic_candidates: int = 5
    role_stops: bool = True

    @classmethod
    def off(cls) -> SpeechPolicy:
        """Every lever off: the sampler and the flow as they were before the speech work."""
        return cls(repetition=False, min_p=0.0, stage_temperature={}, max_temperature=0.0, regenerate=False,
                   topic_candidates=1, role_stops=False)

    def temperature(self, kind: str, base: float) -> float:
        factor = self.stage_temperature.get(kind)
        if factor is None:
            return base
        t = base * factor
        # The cap keeps the persona temperatures (all at most 1.0) coherent; a temperature the user raised
        # above 1.0 (a fork's change) raises the cap with it, so the change still shows.
        return min(t, self.max_temperature * max(1.0, base)) if self.max_temperature > 0 else t


def role_stops(names: Sequence[str]) -> tuple[str, ...]:
    """A new line that opens as a speaker ("\\nSkeptic:") ends the turn: the model has started writing
    someone else's part."""
    labels = [*names, "User", "Assistant", "Question", "Answer", "Council", "Chairman", "Response A",
              "Response B"]
    # The phrases the synthesis and chairman prompts introduce members' turns with: a chairman that writes
    # "\n\nSkeptic answered:" has started quoting the prompt (seen on the held-out set).
    phrases = tuple(f"\n{name} {verb}:" for name in names for verb in ("argued", "then added", "answered"))
    return tuple(f"\n{label}:" for label in labels) + tuple(f"\n**{label}" for label in names) + phrases


def strip_leading_label(text: str, names: Sequence[str]) -> str:
    """Drop a speaker label the model put before its words ("Optimist: …", "**Sage**: …"); such a label
    is never part of what the member says."""
    labels = {n.lower() for n in names if n} | set(_GENERIC_LABELS)
    m = re.match(rf"\s*[*#_]*\s*([A-Za-z][A-Za-z .'-]{{0,30}}?)\s*[*_]*{_ASIDE}\s*[*_]*\s*:\s*[*_]*\s*", text)
    if m and m.group(1).strip().lower() in labels and len(text) > m.end():
        return text[m.end():].lstrip()
    return text
