"""The vocabulary of the governance graph and its records.

Every vocabulary is closed: a kind, body type or relationship type that is not in
the lists below is an error that suggests the nearest valid value, never a string
that slips through. Records are pydantic models so that seed files, API bodies and
store rows are all checked by the same rules.

Examples
--------
>>> Relation(source="a", type="REPORTS_TO", target="b").key
'a|REPORTS_TO|b'
>>> Relation(source="a", type="REPORT_TO", target="b")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Relation
type
  Value error, 'REPORT_TO' is not a relationship type; did you mean REPORTS_TO? ...
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    FiniteFloat,
    ValidationInfo,
    field_validator,
    model_validator,
)
from rapidfuzz import fuzz, process


class NodeKind(StrEnum):
    BODY = "body"
    POLICY_AREA = "policy_area"
    PLAN = "plan"
    PRIORITY_AREA = "priority_area"
    ACTION = "action"
    LEGISLATION = "legislation"
    FUNDAMENTAL = "fundamental"
    SOURCE_DOCUMENT = "source_document"


class BodyType(StrEnum):
    MINISTERIAL_POST = "ministerial_post"
    GOVERNMENT = "government"
    DIRECTORATE = "directorate"
    PUBLIC_BODY = "public_body"
    BOARD = "board"
    COMMITTEE = "committee"
    GROUP = "group"
    NETWORK = "network"
    PARTNERSHIP = "partnership"
    LOCAL_AUTHORITY = "local_authority"
    HEALTH_BOARD = "health_board"
    IJB = "ijb"
    CSPP = "cspp"
    THIRD_SECTOR = "third_sector"
    RESEARCH_ORGANISATION = "research_organisation"
    PARLIAMENT = "parliament"
    POST = "post"
    FUND = "fund"
    PROGRAMME = "programme"
    COLLECTIVE = "collective"


class PlanType(StrEnum):
    PLAN = "plan"
    FRAMEWORK = "framework"
    ROUTE_MAP = "route_map"
    AGREEMENT = "agreement"
    STRATEGY = "strategy"
    REPORT = "report"
    PROGRAMME = "programme"


class RelType(StrEnum):
    """Relationship types; a relation reads as the sentence "source TYPE target"."""

    REPORTS_TO = "REPORTS_TO"
    ACCOUNTABLE_TO = "ACCOUNTABLE_TO"
    HOLDS_TO_ACCOUNT = "HOLDS_TO_ACCOUNT"
    CHAIRS = "CHAIRS"
    MEMBER_OF = "MEMBER_OF"
    PART_OF = "PART_OF"
    FUNDS = "FUNDS"
    ADMINISTERS = "ADMINISTERS"
    ADVISES = "ADVISES"
    SUPPORTS = "SUPPORTS"
    LEADS = "LEADS"
    CONTRIBUTES_TO = "CONTRIBUTES_TO"
    OVERSEES = "OVERSEES"
    SCRUTINISES = "SCRUTINISES"
    COMMISSIONS = "COMMISSIONS"
    ESCALATES_TO = "ESCALATES_TO"
    HAS_DUTY_UNDER = "HAS_DUTY_UNDER"
    COVERS = "COVERS"
    LINKS_TO = "LINKS_TO"
    BELONGS_TO = "BELONGS_TO"
    SUCCEEDS = "SUCCEEDS"
    MONITORS = "MONITORS"
    RESPONSIBLE_FOR = "RESPONSIBLE_FOR"


class Confidence(StrEnum):
    STATED = "stated"
    INFERRED = "inferred"


class AssessmentStatus(StrEnum):
    """The Change Programme's three-way assessment of an action's progress."""

    UNDERWAY = "underway"
    UNDERWAY_NOT_SUFFICIENT = "underway_not_sufficient"
    LITTLE_OR_NO_WORK = "little_or_no_work"


class SourceKind(StrEnum):
    STATUTE = "statute"
    OFFICIAL_REPORT = "official_report"
    MINUTES = "minutes"
    SELF_DECLARATION = "self_declaration"


def suggest(value: str, choices: list[str]) -> str | None:
    """The closest of `choices` to `value`, or None when nothing is close.

    >>> suggest("REPORT_TO", ["REPORTS_TO", "LEADS"])
    'REPORTS_TO'
    """
    match = process.extractOne(
        value.upper(), {c: c.upper() for c in choices}, scorer=fuzz.ratio, score_cutoff=60
    )
    return match[2] if match else None


def not_one_of(value: object, allowed: list[str], what: str) -> str:
    """The message for a value outside a closed vocabulary, with the nearest choice.

    >>> not_one_of("bord", ["board", "group"], "a body type")
    "'bord' is not a body type; did you mean board?"
    """
    hint = suggest(str(value), allowed) if value else None
    tail = f"; did you mean {hint}?" if hint else f"; expected one of {', '.join(allowed)}"
    return f"{value!r} is not {what}{tail}"


def _closed(enum: type[StrEnum], what: str) -> BeforeValidator:
    """A validator accepting only the members of `enum`, suggesting the nearest."""
    allowed = [m.value for m in enum]

    def check(value: Any) -> Any:
        if isinstance(value, enum) or value in allowed:
            return value
        raise ValueError(not_one_of(value, allowed, what))

    return BeforeValidator(check)


Kind = Annotated[NodeKind, _closed(NodeKind, "a node kind")]
Rel = Annotated[RelType, _closed(RelType, "a relationship type")]
ConfidenceLevel = Annotated[Confidence, _closed(Confidence, "a confidence level")]
Status = Annotated[AssessmentStatus, _closed(AssessmentStatus, "an assessment status")]
EntityId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)]
Text = Annotated[str, Field(min_length=1)]

TYPES_BY_KIND: dict[NodeKind, type[StrEnum]] = {
    NodeKind.BODY: BodyType,
    NodeKind.PLAN: PlanType,
}


def _text_is_encodable(value: Any) -> Any:
    """Refuse unpaired surrogates ("\\ud800"): JSON can carry them, UTF-8 cannot store them."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("contains an unpaired surrogate, which is not text") from None
    elif isinstance(value, list | tuple):
        for item in value:
            _text_is_encodable(item)
    return value


class Strict(BaseModel):
    """Base of every input model: unknown fields and non-text strings are errors."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _encodable(cls, value: Any) -> Any:
        return _text_is_encodable(value)


class Record(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    """Where a fact comes from: a document in the evidence base and an exact excerpt."""

    document: Text
    locator: str = ""
    excerpt: Text
    kind: Annotated[SourceKind, _closed(SourceKind, "a source kind")] | None = None
    checked: dt.date | None = None


class Fact(Record):
    """A count a document states about an entity ("17 of 36 directorates")."""

    measure: Text
    value: FiniteFloat
    total: FiniteFloat | None = None
    unit: str = ""
    sources: list[Source] = Field(min_length=1)


class Commitment(Record):
    """A commitment made towards an action, by the entities in `by`."""

    by: list[EntityId] = Field(default_factory=list)
    text: Text
    due: str | None = None
    sources: list[Source] = Field(default_factory=list)


class Dated(Record):
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered_dates(self) -> Dated:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    def valid_on(self, day: dt.date | None) -> bool:
        """True when the record holds on `day` (always, when `day` is None)."""
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


ACTION_FIELDS = ("priority_area", "requires", "status", "commitment_received", "commitments")


class Entity(Dated):
    """A node of the graph: a body, plan, action, law, policy area…"""

    id: EntityId
    kind: Kind
    type: str | None = Field(default=None, validate_default=True)  # checked against the kind
    name: Text
    aliases: list[str] = Field(default_factory=list)
    description: str = ""
    sources: list[Source] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    # Plan 21-24 actions only
    priority_area: EntityId | None = None
    requires: str | None = None
    status: Status | None = None
    commitment_received: bool | None = None
    commitments: list[Commitment] = Field(default_factory=list)

    @field_validator("type")
    @classmethod
    def _type_fits_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind is None:  # the kind itself was invalid, and is reported on its own
            return value
        types = TYPES_BY_KIND.get(kind)
        if types is None:
            if value is not None:
                raise ValueError(f"a {kind} entity takes no type (got {value!r})")
            return value
        allowed = [t.value for t in types]
        if value not in allowed:
            raise ValueError(not_one_of(value, allowed, f"a {kind} type"))
        return value

    @field_validator(*ACTION_FIELDS)
    @classmethod
    def _only_actions(cls, value: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("kind")
        if kind is not None and kind != NodeKind.ACTION and value not in (None, []):
            raise ValueError(f"only actions carry {info.field_name}")
        return value

    @property
    def names(self) -> list[str]:
        """The canonical name followed by every alias."""
        return [self.name, *self.aliases]


class Relation(Dated):
    """A typed, sourced edge: "source TYPE target"."""

    source: EntityId
    type: Rel
    target: EntityId
    confidence: ConfidenceLevel = Confidence.STATED
    note: str | None = None
    sources: list[Source] = Field(default_factory=list)

    @model_validator(mode="after")
    def _inferred_needs_note(self) -> Relation:
        if self.confidence == Confidence.INFERRED and not self.note:
            raise ValueError("note: an inferred relation needs a note giving the reasoning")
        if self.source == self.target:
            raise ValueError("target: a relation cannot point at its own source")
        return self

    @property
    def key(self) -> str:
        return relation_key(self.source, self.type, self.target)


def relation_key(source: str, type: str, target: str) -> str:
    """The identity of a relation: one edge per (source, type, target)."""
    return f"{source}|{type}|{target}"


class Dataset(BaseModel):
    """A whole graph: what a seed folder holds and what a store can export."""

    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
