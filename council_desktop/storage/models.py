"""Every peewee model of the history database, in one module (the schema itself is built by migrations).

The models are deliberately unbound (``database = None``): a ``Store`` binds each query to its own
database (``query.bind(db)`` / ``query.execute(db)``), so two stores never share a global binding and a
query that forgets to bind fails loudly instead of writing to the wrong file.

Column names follow peewee's defaults (a foreign key ``session`` is the column ``session_id``);
``tests/storage`` checks that these models and the migrated schema name the same columns.
"""

from __future__ import annotations

import json
from typing import Any

from peewee import (
    AutoField,
    BooleanField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

SESSION_MODES = ("debate", "ask")
SESSION_STATUSES = ("running", "finished", "interrupted", "failed", "cancelled")
RESPONSE_KINDS = ("opinion", "rebuttal", "answer", "topic", "synthesis")
STANCES = ("agree", "disagree")


class JSONField(TextField):
    """JSON text; non-JSON values (never expected in event payloads) are stored as their str()."""

    def db_value(self, value: Any) -> Any:
        return None if value is None else json.dumps(value, ensure_ascii=False, default=str)

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = None
        legacy_table_names = False


class SchemaVersion(BaseModel):
    id = IntegerField(primary_key=True)  # always 1
    version = IntegerField()

    class Meta:
        table_name = "schema_version"


class Member(BaseModel):
    """A seat's identity across sessions: a stable id ("sage", "qwen25-05b"); the latest labels win."""

    id = TextField(primary_key=True)
    name = TextField(default="")
    model = TextField(default="")
    persona = TextField(default="")
    color = TextField(default="")

    class Meta:
        table_name = "members"


class Session(BaseModel):
    id = TextField(primary_key=True)  # a uuid string chosen by the caller
    mode = TextField(default="debate")  # debate | ask
    topic = TextField(default="")
    proposer = TextField(null=True)  # member id
    chairman = TextField(null=True)  # member id (the latest, after chair_changed)
    status = TextField(default="running")  # running | finished | interrupted | failed | cancelled
    reason = TextField(default="")
    seed = IntegerField(null=True)
    started_at = TextField()  # ISO-8601 UTC, from the first event
    finished_at = TextField(null=True)
    members_ok = IntegerField(null=True)
    members_total = IntegerField(null=True)
    nudges = JSONField(default=dict)  # {member_id: [sentence]} used in this session (schema v2)
    parent = ForeignKeyField("self", null=True, on_delete="SET NULL", column_name="parent_id")  # a fork's (v3)
    fork_stage = IntegerField(null=True)  # the stage a fork re-ran from (v3)

    class Meta:
        table_name = "sessions"


class SessionMember(BaseModel):
    id = AutoField()
    session = ForeignKeyField(Session, on_delete="CASCADE")
    member = ForeignKeyField(Member, on_delete="CASCADE")
    seat = IntegerField()
    model = TextField(default="")  # the model label at the time of the session
    status = TextField(default="ok")  # ok | failed
    failed_stage = IntegerField(null=True)
    failed_reason = TextField(default="")
    all_valid = BooleanField(default=False)  # valid output in every stage (schema v2)
    model_file = TextField(default="")  # the model file's identity (schema v3), see core.types.Member

    class Meta:
        table_name = "session_members"
        indexes = ((("session", "member"), True),)


class Response(BaseModel):
    id = AutoField()
    session = ForeignKeyField(Session, on_delete="CASCADE")
    member = ForeignKeyField(Member, null=True, on_delete="CASCADE")  # None: the user's topic
    kind = TextField()  # opinion | rebuttal | answer | topic | synthesis
    stage = IntegerField(null=True)
    text = TextField(default="")
    tokens = IntegerField(default=0)
    seconds = FloatField(default=0.0)
    seq = IntegerField()

    class Meta:
        table_name = "responses"
        indexes = ((("session", "seq"), True),)


class PeerReview(BaseModel):
    id = AutoField()
    session = ForeignKeyField(Session, on_delete="CASCADE")
    reviewer = ForeignKeyField(Member, on_delete="CASCADE", backref="reviews_given")
    target = ForeignKeyField(Member, on_delete="CASCADE", backref="reviews_received")
    label = TextField(default="")
    score = FloatField(null=True)  # None on an invalid ballot; may be an expected (fractional) score
    valid = BooleanField(default=True)
    reason = TextField(default="")
    seq = IntegerField()

    class Meta:
        table_name = "peer_reviews"


class Ranking(BaseModel):
    id = AutoField()
    session = ForeignKeyField(Session, on_delete="CASCADE")
    reviewer = ForeignKeyField(Member, on_delete="CASCADE")
    order = JSONField(default=list)  # member ids, best first
    valid = BooleanField(default=True)
    reason = TextField(default="")
    seq = IntegerField()

    class Meta:
        table_name = "rankings"


class Alliance(BaseModel):
    id = AutoField()
    session = ForeignKeyField(Session, on_delete="CASCADE")
    from_member = ForeignKeyField(Member, on_delete="CASCADE", backref="stances_declared")
    to_member = ForeignKeyField(Member, on_delete="CASCADE", backref="stances_received")
    stance = TextField()  # agree | disagree
    seq = IntegerField()

    class Meta:
        table_name = "alliances"


class Synthesis(BaseModel):
    """The chairman's closing text: the debate's synthesis or the ask mode's final answer."""

    id = AutoField()
    session = ForeignKeyField(Session, on_delete="CASCADE")
    member = ForeignKeyField(Member, on_delete="CASCADE")
    text = TextField(default="")
    seq = IntegerField()

    class Meta:
        table_name = "syntheses"


class ViewerBallot(BaseModel):
    """The viewer's own judgement of one member in one stage (schema v3): a score (review), a place
    (ranking) or a stance (alliances). Kept apart from the council's ballots so that no council figure
    counts it unless the session did (``counted``)."""

    id = AutoField()
    session = ForeignKeyField(Session, on_delete="CASCADE")
    stage = IntegerField()
    kind = TextField()  # review | ranking | alliance
    target = ForeignKeyField(Member, on_delete="CASCADE")
    label = TextField(default="")
    score = FloatField(null=True)
    position = IntegerField(null=True)  # 1 = best (ranking)
    stance = TextField(null=True)  # agree | disagree (alliance)
    counted = BooleanField(default=False)
    seq = IntegerField()

    class Meta:
        table_name = "viewer_ballots"


class EventRecord(BaseModel):
    """The ordered event log of a session (token deltas excluded): replay and export read it."""

    id = AutoField()
    session = ForeignKeyField(Session, on_delete="CASCADE")
    seq = IntegerField()
    kind = TextField()
    t = FloatField()
    at = TextField()
    data = JSONField()

    class Meta:
        table_name = "events"
        indexes = ((("session", "seq"), True),)


class Rotation(BaseModel):
    id = IntegerField(primary_key=True)  # always 1
    next_proposer = IntegerField(default=0)
    next_chairman = IntegerField(default=1)

    class Meta:
        table_name = "rotation"


class ModelPersonality(BaseModel):
    member = ForeignKeyField(Member, primary_key=True, on_delete="CASCADE")
    agreeableness = FloatField(default=0.5)
    assertiveness = FloatField(default=0.5)
    verbosity = FloatField(default=0.5)
    contrarianism = FloatField(default=0.5)
    generosity = FloatField(default=0.5)
    sessions = IntegerField(default=0)  # sessions that moved it since the last reset
    updated_at = TextField()

    class Meta:
        table_name = "model_personalities"


class PersonalityHistory(BaseModel):
    id = AutoField()
    member = ForeignKeyField(Member, on_delete="CASCADE")
    session = ForeignKeyField(Session, null=True, on_delete="SET NULL")  # None for a reset
    kind = TextField(default="update")  # update | reset
    at = TextField()
    agreeableness = FloatField()
    assertiveness = FloatField()
    verbosity = FloatField()
    contrarianism = FloatField()
    generosity = FloatField()

    class Meta:
        table_name = "personality_history"
        indexes = ((("member", "session"), True),)


class ModelAchievement(BaseModel):
    id = AutoField()
    member = ForeignKeyField(Member, on_delete="CASCADE")
    badge = TextField()
    session = ForeignKeyField(Session, on_delete="CASCADE")
    reason = TextField(default="")
    event_seq = IntegerField(null=True)  # the event that earned it: the replay opens there
    awarded_at = TextField()

    class Meta:
        table_name = "model_achievements"
        indexes = ((("member", "badge", "session"), True),)


MODELS: tuple[type[BaseModel], ...] = (
    SchemaVersion, Member, Session, SessionMember, Response, PeerReview, Ranking, Alliance, Synthesis,
    EventRecord, Rotation, ModelPersonality, PersonalityHistory, ModelAchievement, ViewerBallot,
)

__all__ = [
    "MODELS", "RESPONSE_KINDS", "SESSION_MODES", "SESSION_STATUSES", "STANCES", "Alliance", "BaseModel",
    "EventRecord", "JSONField", "Member", "ModelAchievement", "ModelPersonality",
    "PeerReview", "PersonalityHistory", "Ranking", "Response", "Rotation", "SchemaVersion", "Session",
    "SessionMember", "Synthesis", "ViewerBallot",
]
