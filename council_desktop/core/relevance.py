"""Is an answer about the question at all? A deterministic, lexical test for core/validity.py.

A tiny judge rates a fluent sentence about cake or trains about as well as an answer, so the check is
made in code: an answer is off-topic when not one of its content words (stopwords and discourse words
left out, lightly stemmed, so "voting" meets "vote" and "colonies" meets "colonise") is a content word of
the question, nor of the other answers given to the same question (the vocabulary of the discussion: an
answer that paraphrases the question, "kids" for "children", still talks about what the others talk
about), and it takes no stance: no word of modality, polarity, evaluation or opinion (a paraphrasing
answer still argues, "It would suit offices but not hospitals"; a sentence about something else is plain
description, "The train leaves at nine"), and it does not open by pointing back at the question's subject
("It worked in the UK", "Its army came to rely on hired troops"). It errs towards letting an answer
through: a short answer, one that shares a single word, one that takes any stance or one that refers back
is never flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# Function words, and words any answer to any question may use (discourse, stance, vague quantities, light
# verbs such as "make" and "get"):
# sharing one of these says nothing about the topic.
_STOP = frozenset("""
a about above after again against all almost also although always am among an and another any anyone
anything are around as at away be because been before being below between both but by can cannot could
did do does doing done down during each either else enough even ever every everyone everything few for
from further get gets getting give given go goes going gone got went had has have having he her here hers herself
him himself his how however i if in into is it its itself just least less let lets like likely many may
maybe me might mine more most much must my myself neither never no nor not nothing now of off often on
once one only or other others otherwise our ours ourselves out over own perhaps quite rather really same
shall she should since so some someone something sometimes still such than that the their theirs them
themselves then there therefore these they thing things this those though through thus to too under
unless until up upon us very was way ways we well were what whatever when where whether which while who
whom whose why will with within without would yes yet you your yours yourself
agree agreed argue argued answer answers asked ask believe believed case certainly clearly course
definitely depend depends difficult disagree easy fact feel felt good great hard important indeed kind know
make makes made making matter mean means need needs opinion point question questions reason reasons right
say says said see seems sure think thinks thought true truly view want wants wrong
""".split())  # noqa: SIM905

_SUFFIXES = (("ational", "ate"), ("isation", "ise"), ("ization", "ize"), ("fulness", ""), ("iveness", "ive"),
             ("ousness", "ous"), ("nesses", ""), ("ness", ""), ("ments", ""), ("ment", ""), ("ities", ""),
             ("ity", ""), ("ially", ""), ("ally", ""), ("ial", ""), ("ical", "ic"), ("ying", "ie"),
             ("iers", "i"), ("ier", "i"), ("iest", "i"), ("ies", "i"), ("ied", "i"), ("ings", ""), ("ing", ""),
             ("edly", ""), ("ed", ""), ("ers", ""), ("er", ""), ("est", ""), ("ly", ""), ("es", ""), ("s", ""),
             ("al", ""), ("y", "i"), ("e", ""))
# Words that take a position or weigh something: modality, polarity, evaluation, comparison ("more",
# "fewer", "than"), opinion, concession.
# An answer to a debate question uses them even when it paraphrases every word of the question ("It would
# suit offices but not hospitals"); a sentence about something else entirely is plain description ("The
# train leaves at nine").
_STANCE = frozenset("""
yes no not never nor should shouldn would wouldn could couldn must mustn ought might may can cannot
can't won't shouldn't wouldn't couldn't mustn't isn't aren't don't doesn't didn't wasn't weren't
better worse worst worth more less fewer than worthwhile beats outweigh outweighs
fair unfair unjust right wrong good bad harm harms harmful
benefit benefits beneficial risk risks risky dangerous useful useless important matters deserve
deserves too unless depends depend agree disagree think believe argue opinion view favour favor
against support oppose responsible irresponsible moral immoral ethical unethical duty duties necessary
unnecessary essential acceptable unacceptable reasonable unreasonable justified unjustified valuable
helpful hurt hurts damage damages protect protects improve improves problem problems
but although though however whereas even absolutely definitely certainly surely indeed clearly obviously
probably likely perhaps maybe
weak weaker weakest convincing unconvincing persuasive flawed dubious doubtful
questionable plausible implausible evidence research studies study proof scientists researchers
historians economists argument arguments explanation explanations theory theories hypothesis
oui non parce devrait devraient doit doivent faut mieux pire ja nein weil sollte sollten soll muss besser
schlechter sí porque debería deberían debe mejor peor sì perché dovrebbe dovrebbero deve meglio peggio sim não nao
deveria deveriam melhor pior
nee niet omdat moet moeten zou zouden beter slechter nej inte ikke eftersom fordi borde bedre
""".split())  # noqa: SIM905
# The stance words that state or weigh a position (not the modals, negations, hedges and connectives):
# "I don't think so" and "not one I support" answer; "Not something I can weigh in on" does not.
_POSITION = _STANCE - frozenset("""
no not never nor should shouldn would wouldn could couldn must mustn ought might may can cannot can't won't
shouldn't wouldn't couldn't mustn't isn't aren't don't doesn't didn't wasn't weren't too unless but although
though however whereas even perhaps maybe probably likely
""".split())  # noqa: SIM905
# An answer that opens by pointing back ("It worked in the UK…", "Its army came to rely on…", "They…",
# "The best ones I remember…")
# continues the question: its subject is the question's. A sentence about something else names its own.
_REFERS_BACK = re.compile(r"^\W*(?:(?:once|when|if|after|before|because|since|as|while|until|unless)\s+(?:it|they|its|"
                          r"their|it's|it’s|they're|they’re)\b|by\s+[a-z]+ing|only\s+(?:if|when|where|for|in|as|after|before|with|"
                          r"once|on|at|under|within|by|through|during|inside|outside|until|while|up to|to|from|over|"
                          r"between|among)|"
                          r"for\s+(?:me|us|most|many)|mainly|chiefly|largely)\b"
                          r"|^\W*(?:(?:yes|no|well|so|partly|mostly|generally|historically)\W+)?"
                          r"(?:it|its|it's|it’s|they|their|they're|they’re|them|such|the\s+(?:[a-z]+\s+)?ones)\b",
                          re.IGNORECASE)
# A question asking for a way or for advice, and an answer that speaks to the asker.
_ASKS_HOW = re.compile(r"\b(?:how|ways?|methods?|tips?|advice|steps?)\b", re.IGNORECASE)
# Round 10: "How does a rainbow form?", "How do bats find their way?" ask how a thing happens, not what the asker
# should do: an answer that speaks to "you" is no advice there ("How do I…", "How do people…", "How can…" ask for it).
_ASKS_HOW_IT_HAPPENS = re.compile(r"^\W*how\s+(?:do|does|did|is|are|was|were|has|have)\s+(?!(?:i|we|you|one|people|"
                                  r"someone|somebody|anyone|anybody|a person|my|our|your|us)\b)", re.IGNORECASE)
_TO_YOU = re.compile(r"\b(?:you|your|yourself)\b", re.IGNORECASE)
_MIN_CONTENT = 3  # an answer with fewer content words than this is never called off-topic
# Words and phrases that argue in an answer although they are no stance elsewhere (an echo or a shrug may use them
# about itself): a view owned ("I'd keep it", "seems fine to me", "in my view"), whether something matters ("Does the
# label matter?"), the asker invited to see it for themselves ("you'll see it covers the same amount"). Not "mostly"
# and the like: they measure as often as they weigh ("rings made mostly of ice"). An interjection of reaction
# opening the answer ("Meh. Airlines have done this for decades") answers the question put.
_ARGUES = re.compile(r"^\W*(?:meh|nah|nope|yup|yep|pfft|ugh)\b"  # a reaction to the question opening the answer
                     r"|\b(?:i|we|you|they)(?:'d|’d)\b|\b(?:to|for) me\b(?=\s*(?:[,.;:!?]|$))|^\W*(?:to|for) me\b"
                     r"|\byou(?:'ll|’ll| will| can| could| would)\s+(?:soon\s+|quickly\s+)?"
                     r"(?:see|notice|find|feel|hear|tell)\b"
                     r"|\bin my (?:view|opinion|book|eyes)\b|\bif you ask me\b|\bmatters?\b(?!\s+(?:of|to)\b)",
                     re.IGNORECASE)
# An answer that opens by naming the thing asked for, one or two words before a comma, colon or dash ("Timing, plus a
# bit of shared knowledge", "Surprise, mostly: …", "Trust, built over years", "Partly habit, partly…"), answers a
# what / why / how question.
_WH_QUESTION = re.compile(r"^\W*(?:what|why|how|which|who)\b", re.IGNORECASE)
_NAMES_IT = re.compile(r"^\W*(?:(?:partly|mostly|mainly|largely|chiefly|primarily|probably|usually|often)\s+)?"
                       r"([A-Za-z]+)(?:\s+([A-Za-z]+))?\s*(?:,|:|;|—|–|\s-\s)", re.IGNORECASE)
# A why-question, and an answer that opens by giving a cause ("Because…", "Due to…", "Owing to…").
_ASKS_WHY = re.compile(r"^\W*why\b", re.IGNORECASE)
_GIVES_A_CAUSE = re.compile(r"^\W*(?:because|cos|'cause|due to|owing to|thanks to)\b", re.IGNORECASE)
# A question asking to compare, and an answer with a comparative adjective ("quieter and cheaper", "is safer"):
# "Is it better to live in the countryside or in a city?" - "Rural life is quieter and cheaper".
_ASKS_TO_COMPARE = re.compile(r"\b(?:better|worse|more|less|rather|prefer|preferable|versus|vs|compared?)\b|\bor\b",
                              re.IGNORECASE)
_COMPARATIVE = re.compile(r"\b(?:is|are|was|were|be|been|feels?|seems?|gets?|becomes?|stays?|far|much|even|a bit|"
                          r"slightly|generally|usually)\s+(?:\w+\s+)?[a-z]{3,}(?:ier|er)\b(?:\s+(?:and|or|but)\s+"
                          r"[a-z]{3,}(?:ier|er)\b)", re.IGNORECASE)


# Three-letter verbs whose forms the suffix rules cannot reach: "died", "dying" -> "die".
_SHORT_VERBS = {f: v for v in ("die", "lie", "tie") for f in (v + "d", v + "s", v[:-2] + "ying")}


def stem(word: str) -> str:
    """A light stem: "voting" and "vote" -> "vot", "happier"/"happiness"/"happy" -> "happi"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    w = _SHORT_VERBS.get(w, w)  # "died", "dying" -> "die"
    for suffix, repl in _SUFFIXES:
        if suffix == "ed" and w.endswith("eed"):
            continue  # "breed", "need", "speed" are not past tenses
        if w.endswith(suffix) and len(w) - len(suffix) + len(repl) >= 3:
            w = w[: len(w) - len(suffix)] + repl
            break
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # banned -> bann -> ban
    return w


# Everyday words of counting, time, size (round 9: "small", "big"; round 10: dimensions, "high", "long", "deep") and
# handling that any two sentences may share
# without sharing a topic
# ("three weeks at sea" and "three days in the office", "keep it in water" and "keep voting"): they do not tie
# an answer to the other answers (they still tie it to the question).
_EVERYDAY = """
one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand million
first second third half dozen
day days week weeks month months year years hour hours minute minutes morning evening night nights today
tomorrow yesterday weekend decade decades century centuries
keep keeps kept start starts started starting take takes took taken put puts use used uses come comes came
turn turns turned set sets show shows hold holds bring brings leave leaves call calls look looks run runs
open opens opened
small smaller big bigger large larger little tiny huge new old
high higher low lower long longer short shorter wide wider deep deeper tall taller
back forward forwards backward backwards
""".split()  # noqa: SIM905
_STOP_STEMS = frozenset(stem(w) for w in _STOP if len(w) > 3)


_CONTRACTED = frozenset(["re", "m", "s", "ll", "ve", "d", "t"])
_EVERYDAY_STEMS = frozenset(stem(w) for w in _EVERYDAY)


def content_stems(text: str) -> set[str]:
    """The stems of the content words of ``text``."""
    out = set()
    for raw in _WORD.findall(text):
        w = raw.lower().replace("’", "'").strip("'-")
        if w in _STOP or (len(w) < 3 and not (len(raw) == 2 and raw.isupper())):  # "AI", "EU" count
            continue
        head, _, tail = w.partition("'")
        if tail in _CONTRACTED and (head in _STOP or tail == "t"):  # "you're", "I'm", "don't", "it'll"
            continue
        s = stem(w)
        if s not in _STOP_STEMS:
            out.add(s)
    return out


# round 16: a compound of the question names what its last part names ("sunlight" / "light", "toothbrush" / "brush"): a
# tail of at least five letters after a head of at least three (not "donation" / "nation"). Only against the question's
# own words: against the other answers' it tied a train notice to a compass ("Wakefield" / "field").
_TAIL, _HEAD = 5, 3


def related(a: str, b: str) -> bool:
    """Two stems name the same thing: equal, the same first five letters, or one (4+ letters) opening
    the other ("poll" / "pollster")."""
    if a == b or (len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5]):
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short)


def shares(said: Iterable[str], vocabulary: Iterable[str], compounds: bool = False) -> bool:
    """Whether any stem of ``said`` is ``related`` to any of ``vocabulary`` (indexed: linear in the text); with
    ``compounds``, also one that ends a compound of the other side ("light" / "sunlight", either way)."""
    vocab = set(vocabulary)
    said = list(said)
    # openings no longer than the longest word on either side (round 10: a 20 kB "word" made this quadratic)
    longest_said = max(map(len, said), default=0)
    longest_vocab = max(map(len, vocab), default=0)
    openings = {v[:k] for v in vocab for k in range(4, min(len(v), longest_said) + 1)}  # every opening of 4+ letters
    heads = {v[:5] for v in vocab if len(v) >= 5}
    # the compounds' tails, as long as the longest word on the other side at most (linear, as the openings)
    tails = {v[k:] for v in vocab for k in range(max(_HEAD, len(v) - longest_said), len(v) - _TAIL + 1)} \
        if compounds else set()
    return any(s in vocab or s in openings or (len(s) >= 5 and s[:5] in heads) or s in tails
               or any(s[:k] in vocab for k in range(4, min(len(s), longest_vocab + 1)))
               or (compounds and any(s[k:] in vocab for k in range(max(_HEAD, len(s) - longest_vocab),
                                                                    len(s) - _TAIL + 1)))
               for s in said)


def takes_a_stance(text: str) -> bool:
    """Whether ``text`` holds a word that takes a position or weighs something (``_STANCE``)."""
    return any(w.lower().replace("’", "'").strip("'-") in _STANCE for w in _WORD.findall(text)) or \
        "n't" in text.lower().replace("’", "'")


def position_words(text: str) -> set[str]:
    """The words of ``text`` that state or weigh a position (``_POSITION``), lower-cased."""
    return {w for w in (x.lower().replace("’", "'").strip("'-") for x in _WORD.findall(text)) if w in _POSITION}


# Stance words that only join clauses ("but", "although", "still") or name arguing ("argue"): a sentence about
# something else uses them as readily as an answer ("…, although the gravel still insists upon its pension"), so
# alone they do not keep an answer on the topic.
_CONNECTIVES = frozenset("but although though however whereas even still yet argue".split())  # noqa: SIM905


def argues(text: str) -> bool:
    """Whether ``text`` takes a stance by more than a connective: a modal, a negation, an evaluation, a comparison,
    an opinion (``_STANCE`` without ``_CONNECTIVES``)."""
    return any(w.lower().replace("’", "'").strip("'-") in _STANCE - _CONNECTIVES for w in _WORD.findall(text)) or \
        "n't" in text.lower().replace("’", "'")


def takes_a_position(text: str) -> bool:
    """Whether ``text`` holds a word that states or weighs a position (``_POSITION``: "support", "better",
    "think", "harm"; not a bare modal or negation)."""
    return any(w.lower().replace("’", "'").strip("'-") in _POSITION for w in _WORD.findall(text))


def _names_it(answer: str) -> bool:
    """The answer opens with one or two words standing alone before a comma, a colon or a dash, naming a thing (not
    a function word, an adverb in -ly such as "Honestly,", or an everyday word of time)."""
    m = _NAMES_IT.match(answer)
    if not m:
        return False
    named = [w.lower() for w in m.groups() if w]
    return all(w not in _STOP and not w.endswith("ly") and stem(w) not in _EVERYDAY_STEMS for w in named)


# A long answer (this many content words or more) that shares none of them with the question or the ballot has had
# every chance to touch the subject: a modal of possibility or a comparison of quantities ("a frog can leap more than
# twenty times its length", "the beep could wake the dead") describes, and no longer keeps it on the topic; it needs a
# word that takes a position (an evaluation, a negation, "should", an opinion, a hedge). Measured on the sensible
# answers of every bench set (each beside every pair of the others) and the development sets: none this long shares
# nothing and argues only by such words.
_LONG = 14
_DESCRIBES = frozenset("can could may might more less fewer than".split())  # noqa: SIM905
# round 9: a negation states a fact as readily as it takes a side ("the laces haven't frayed", "it is not a single
# wall", "it cannot be seen from space"): in a long answer that shares nothing it keeps no answer on the topic either.
_NEGATES = frozenset("""no not never nor cannot can't won't isn't aren't don't doesn't didn't wasn't weren't haven't
hasn't hadn't""".split())  # noqa: SIM905
# A negation opening the answer replies to the question ("Not for the grammar drills alone: …", "No, …").
_REPLIES_NO = re.compile(r"^\W*(?:no|not|never|nope|nah|hardly)\b", re.IGNORECASE)


# A comparison with a number measures, it does not weigh: "more than two thousand kilometres", "fewer than 10 days".
# Round 10: so does a comparison with everything else of its kind ("more than any other river", "more water than any
# other river", "fewer than all the rest"): a record, not a side.
_MEASURES = re.compile(r"\b(?:more|less|fewer)\s+(?:[a-z]+\s+)?than\s+(?:any|every|all|each)\s+(?:of\s+)?(?:the\s+)?"
                       r"(?:other|others|rest)\b"
                       r"|\b(?:more|less|fewer)\s+than\s+(?:\d|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|"
                       r"eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
                       r"billion|dozen|half|twice|double)\b)", re.IGNORECASE)


# Round 12: a modal of possibility before a passive ("can be returned", "may be collected", "could also be frozen") says
# what is possible to the thing, as a notice or a manual does ("Books can be returned on Tuesday"): no side taken.
_MAY_BE_DONE = re.compile(r"\b(?:can|could|may|might)\s+(?:also\s+|still\s+|then\s+|easily\s+|only\s+)?be\s+"
                          r"(?:[a-z]{3,}ed|[a-z]{2,}en|done|made|paid|sold|bought|kept|left|found|held|seen|shown|built|"
                          r"set|put|sent|spent|brought|caught|cut|read|worn|won|lost|run|fed|led|met|hung|laid|shut|"
                          r"stored|served)\b(?!\s+(?:than|as|enough)\b)", re.IGNORECASE)


def _argues_enough(answer: str, content: int) -> bool:
    """``argues``, except that a comparison with a number does not count, nor a modal of possibility before a passive,
    and that a long answer (``_LONG`` content words) needs more than ``_DESCRIBES``."""
    answer = _MAY_BE_DONE.sub(" ", _MEASURES.sub(" ", answer))
    if content < _LONG:
        return argues(answer)
    return bool(_REPLIES_NO.match(answer)) or any(
        w.lower().replace("’", "'").strip("'-") in _STANCE - _CONNECTIVES - _DESCRIBES - _NEGATES
        for w in _WORD.findall(answer))


# Round 11: "times" after a number or a quantity counts repetitions ("eight times", "many times over"), as "twice" does:
# a word of counting, which ties an answer to nothing ("Time, mostly" on a ballot is not "repeat eight times").
_COUNTED_TIMES = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                            r"forty|fifty|hundred|thousand|several|many|few|countless|multiple|umpteen|dozens? of)\s+"
                            r"times\b", re.IGNORECASE)


# Round 12: texts of another kind, by form. A procedure: three or more steps, each a verb of handling things opening a
# clause ("…, pour off the fat, stir in the flour, then whisk in the stock"; "Hold the square by its centre, let the
# corners hang and tuck it in"), where the question asks for no way of doing anything. An advertisement or a notice:
# two or more kinds of formula of selling or of notices ("free delivery", "this week only", "order now", a price,
# "while stocks last", "Please note", "closed on Monday", "LOST:"; prices alone compare, whatever their number).
# A text of either kind is about its own business: one shared word (a homonym, "Sunday gravy" on Sunday trading, "run
# time" beside jet lag's time zones) no longer keeps it on the topic; two still do.
_HANDLING = frozenset(stem(w) for w in """
pour stir whisk add mix heat bake cook chop cut hold fold tuck gather cover mist spray scrape wait remove place press
fill drain season serve boil simmer fry roast preheat sprinkle combine tape sand paint apply attach insert plug click
wrap tie rinse wash dry soak spread roll knead slice peel grate melt beat blend measure weigh lay repeat lift lower pull
push twist slide screw unscrew glue trim dip coat brush wipe sweep scrub hang store shake squeeze tighten loosen stretch
let leave allow transfer top garnish cool chill freeze thaw marinate stuff sew stitch thread pin iron steam tip flip
scoop mash pat smooth tuck crease pinch unfold clip drill fit mount sieve strain
turn reverse steer straighten drive park brake rotate raise shut lock unlock release switch pack unpack load unload
""".split())  # noqa: SIM905
_STEP = re.compile(r"(?:^|[.!?;:]|,|\bthen\b|\band\b|\bfinally\b|\bnext\b)\s*(?:then\s+|and\s+|now\s+|gently\s+|"
                   r"carefully\s+|slowly\s+|quickly\s+|simply\s+|just\s+)?([A-Za-z]+)\b", re.IGNORECASE)
_SELLS = [re.compile(p, re.IGNORECASE) for p in (
    r"\bfree\s+(?:delivery|shipping|postage|returns|gift|trial|installation)\b",
    r"\b(?:this\s+(?:week|weekend|month)|today|tonight|now)\s+only\b|\bwhile\s+stocks?\s+lasts?\b"
    r"|\blimited[- ](?:time|offer|edition|stock)\b",
    # a call to act ("order now", "apply online by Friday", "book today")
    r"\b(?:order|buy|shop|book|call|subscribe|apply|register|enrol|enroll)\s+(?:now|today|online|by|before)\b",
    r"[£$€]\s?\d|\b\d+\s?%\s+off\b",  # prices: one formula however many ("£60 … £90" compares)
    r"\bmoney[- ]back\b|\bin\s+stock\b|\b(?:rrp|vat)\b",
    r"\b(?:meet|introducing)\s+the\s+(?:new\s+|all-new\s+)?(?-i:[A-Z][\w-]*(?:\s+[A-Z0-9][\w-]*)*)\s*[:,.!-]",
    # a notice: a request to the public ("Please note…", "please call the number…"), a closing or an opening on a
    # day ("will be closed on Monday"), a heading in capitals ("LOST:", "VACANCY -")
    r"\bplease\s+(?:note|call|contact|e-?mail|ring|phone|report|visit|return|quote|allow)\b",
    r"\b(?:will be|is|are|remains?|stays?)\s+(?:closed|shut|open|reopen\w*)\s+(?:on|from|until|till|between|this|next|"
    r"all|every|over)\s+(?:the\s+)?(?:\w+\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|"
    r"week|bank holiday|holidays|\d)",
    r"(?-i:^\W*(?:LOST|FOUND|WANTED|FOR SALE|NOTICE|VACANCY|VACANCIES|CLOSED|REWARD|MISSING|SALE)\b)\s*[:!–—-]",
)]


def _another_kind(question: str, answer: str) -> bool:
    """A procedure where no way of doing anything is asked, or an advertisement (``_HANDLING``, ``_SELLS``)."""
    if sum(1 for p in _SELLS if p.search(answer[:4000])) >= 2:
        return True
    if _ASKS_HOW.search(question) and not _ASKS_HOW_IT_HAPPENS.match(question):
        return False
    steps = {stem(m.group(1)) for m in _STEP.finditer(answer[:4000])} & _HANDLING
    return len(steps) >= 3


def off_topic(question: str, answer: str, others: Sequence[str] = ()) -> bool:
    """True when ``answer`` shares no content word with ``question`` nor with any of ``others`` (the other
    answers to the same question), takes no stance at all (a paraphrasing answer still argues; a long one needs
    more than a modal of possibility or a comparison of quantities), and has enough content words for that to
    mean something."""
    said = content_stems(answer)
    if len(said) < _MIN_CONTENT or _argues_enough(answer, len(said)) or _REFERS_BACK.match(answer) or \
            _ARGUES.search(answer):
        return False
    another = _another_kind(question, answer)  # round 12: a procedure or an advertisement (read once, used twice)
    if _WH_QUESTION.match(question) and _names_it(answer) and len(said) < _LONG and not another:
        return False  # "Lightning: it heats the air" names the answer; a long notice under a heading ("Aries: …",
        # "LOST: …") does not, nor is it advice for its "you" (below); round 12: nor does a short notice or advert
    if _ASKS_WHY.match(question) and _GIVES_A_CAUSE.match(answer):
        return False  # "Why…?" - "Because a switch has two states…" answers the question put
    if _ASKS_TO_COMPARE.search(question) and _COMPARATIVE.search(answer):
        return False
    if _ASKS_HOW.search(question) and not _ASKS_HOW_IT_HAPPENS.match(question) and _TO_YOU.search(answer) and \
            (len(said) < _LONG or not _names_it(answer)):
        return False  # advice to the asker answers "What is the best way to…?" ("Read things you enjoy")
    said = content_stems(_COUNTED_TIMES.sub(" ", answer)) or said
    asked = content_stems(question)
    if not asked:
        return False
    discussed = set().union(*(content_stems(o) for o in others)) if others else set()
    if another:  # round 12: one shared word does not keep a procedure or an advert on the topic
        ties = {s for s in said if shares({s}, asked)} | \
            {s for s in said - _EVERYDAY_STEMS if shares({s}, discussed - _EVERYDAY_STEMS)}
        return len(ties) <= 1
    if shares(said, asked, compounds=True):
        return False
    return not shares(said - _EVERYDAY_STEMS, discussed - _EVERYDAY_STEMS)
