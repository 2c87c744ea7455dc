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

from govmap.vocabulary import (  # noqa: F401  (re-exported: the model speaks this vocabulary)
    OVERSIGHT_TYPES,
    RELATIONSHIPS,
    RESPONSIBILITY_TYPES,
    UPWARD_TYPES,
    AssessmentStatus,
    BodyType,
    Confidence,
    DocumentKind,
    Family,
    FindingType,
    LeadRank,
    NodeKind,
    PlanType,
    RelMeaning,
    RelType,
    Scope,
    SourceKind,
    Strength,
    Upward,
    meaning,
)


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
ScopeValue = Annotated[Scope, _closed(Scope, "a scope")]
StrengthValue = Annotated[Strength, _closed(Strength, "a strength (formal or soft)")]
RankValue = Annotated[LeadRank, _closed(LeadRank, "a lead rank")]
EntityId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)]
# Lengths are generous for real text and refuse what only an attack sends (a 50 MB
# description would slow every search and page that shows it).
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=300)]
Prose = Annotated[str, Field(max_length=5000)]
Short = Annotated[str, Field(max_length=500)]
HttpsUrl = Annotated[str, Field(pattern=r"^https://\S+$", max_length=500)]

# Types a group of public bodies can have while being in the Scottish public sector.
PUBLIC_COLLECTIVE_TYPES = frozenset({"local_authority", "health_board", "ijb", "cspp", "public_body",
                                     "directorate", "partnership"})

TYPES_BY_KIND: dict[NodeKind, type[StrEnum]] = {
    NodeKind.BODY: BodyType,
    NodeKind.PLAN: PlanType,
    NodeKind.FINDING: FindingType,
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
    """Where a fact comes from.

    A *document* source names a document of the evidence base and an exact excerpt of
    it. A *reference* source is the background layer for the constitutional and
    statutory lines the documents take for granted: a precise citation (an Act and
    section, or an official page) and its public URL, with no excerpt.

    >>> Source(kind="reference", citation="Scotland Act 1998, s. 44",
    ...        url="https://www.legislation.gov.uk/ukpga/1998/46/section/44").is_reference
    True
    >>> Source(document="a.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Source
      Value error, a document source needs a document and an excerpt ...
    """

    kind: Annotated[SourceKind, _closed(SourceKind, "a source kind")] = SourceKind.DOCUMENT
    document: str | None = None
    title: str | None = None  # filled from the documents registry when the seed is read
    locator: Short = ""
    excerpt: Annotated[str, Field(max_length=2000)] | None = None
    citation: Short | None = None
    url: HttpsUrl | None = None
    checked: dt.date | None = None

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Source:
        if self.kind == SourceKind.REFERENCE:
            if not self.citation or not self.url:
                raise ValueError("a reference source needs a citation and an https url")
            if self.document or self.excerpt:
                raise ValueError("a reference source cites no document excerpt; "
                                 "use kind: document for an excerpt")
        else:
            if not self.document or not self.excerpt:
                raise ValueError("a document source needs a document and an excerpt")
            if self.citation or self.url:
                raise ValueError("citation and url belong to kind: reference sources")
        return self

    @property
    def is_reference(self) -> bool:
        return self.kind == SourceKind.REFERENCE

    def titled(self, title: str) -> Source:
        """This source with the cited document's title (from the registry)."""
        return self.model_copy(update={"title": title})

    @property
    def text(self) -> str:
        """What the evidence says: the excerpt quoted, or the citation of a reference."""
        return f"{self.citation} [reference]" if self.is_reference else f"“{self.excerpt}”"

    @property
    def origin(self) -> str:
        """Where to find it: the document and locator, or the reference's URL."""
        if self.is_reference:
            return str(self.url)
        where = f"{self.document}, {self.locator}" if self.locator else str(self.document)
        return f"{self.title}; {where}" if self.title else where


def rests_on_references(sources: list[Source]) -> bool:
    """True when every source is a reference: background, not document evidence."""
    return bool(sources) and all(s.is_reference for s in sources)


class Fact(Record):
    """A count a document states about an entity ("17 of 36 directorates")."""

    measure: Text
    value: FiniteFloat
    total: FiniteFloat | None = None
    unit: Short = ""
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
    name: Name
    aliases: list[Name] = Field(default_factory=list, max_length=50)
    description: Prose = ""
    scope: ScopeValue | None = None  # bodies only; required of every body in the seed
    sources: list[Source] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    # Plan 21-24 actions only
    priority_area: EntityId | None = None
    requires: Prose | None = None
    status: Status | None = None
    commitment_received: bool | None = None
    commitments: list[Commitment] = Field(default_factory=list)
    # stated findings only: when the document made the assessment
    assessed_on: dt.date | None = None
    # source documents only: the registry entry a citation is named by
    file: str | None = None
    publisher: str | None = None
    year: int | None = None
    published: str | None = None
    document_kind: Annotated[DocumentKind, _closed(DocumentKind, "a document kind")] | None = None
    url: HttpsUrl | None = None

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

    @model_validator(mode="after")
    def _scope_only_on_bodies(self) -> Entity:
        if self.kind != NodeKind.BODY and self.scope is not None:
            raise ValueError("scope: only bodies carry a scope")
        if (self.kind == NodeKind.FINDING) != (self.assessed_on is not None):
            raise ValueError("assessed_on: a finding gives the date of its assessment, "
                             "and only findings do")
        registry = (self.file, self.publisher, self.year, self.document_kind)
        if self.kind == NodeKind.SOURCE_DOCUMENT and None in registry:
            raise ValueError("file: a source document gives its file, publisher, year and "
                             "document_kind")
        if self.kind != NodeKind.SOURCE_DOCUMENT and (any(registry) or self.url or self.published):
            raise ValueError("file: only source documents carry registry fields")
        return self

    @property
    def citation(self) -> str:
        """How a source document is named to a reader: title (publisher, year)."""
        return f"{self.name} ({self.publisher}, {self.year})"

    @property
    def is_reference_only(self) -> bool:
        return rests_on_references(self.sources)

    @property
    def in_scottish_public_sector(self) -> bool:
        """A body of the Scottish public sector, alone or as a group of one public type."""
        if self.scope == Scope.SCOTTISH_PUBLIC_SECTOR:
            return True
        return self.scope == Scope.COLLECTIVE and self.type in PUBLIC_COLLECTIVE_TYPES

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
    # upward lines only; required of each in the seed; a line without one counts as soft
    strength: StrengthValue | None = None
    rank: RankValue | None = None  # LEADS only
    note: Prose | None = None
    sources: list[Source] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Relation:
        if self.confidence == Confidence.INFERRED and not self.note:
            raise ValueError("note: an inferred relation needs a note giving the reasoning")
        if self.source == self.target:
            raise ValueError("target: a relation cannot point at its own source")
        if RELATIONSHIPS[self.type].upward is None and self.strength is not None:
            raise ValueError(f"strength: only lines of accountability carry a strength, not {self.type}")
        if self.rank is not None and self.type != RelType.LEADS:
            raise ValueError("rank: only LEADS relations are ranked")
        return self

    @property
    def is_reference_only(self) -> bool:
        return rests_on_references(self.sources)

    @property
    def key(self) -> str:
        return relation_key(self.source, self.type, self.target)


def relation_key(source: str, type: str, target: str) -> str:
    """The identity of a relation: one edge per (source, type, target)."""
    return f"{source}|{type}|{target}"


def completeness_problems(record: Entity | Relation) -> list[str]:
    """What a seed record must say that the API may leave out: a body's scope, and the
    strength of every line of accountability.

    >>> completeness_problems(Relation(source="a", type="REPORTS_TO", target="b"))  # doctest: +ELLIPSIS
    ['strength: REPORTS_TO is a line of accountability; say whether it is formal ...']
    """
    if isinstance(record, Entity):
        if record.kind == NodeKind.BODY and record.scope is None:
            return ["scope: a body says where it sits; one of " + ", ".join(s.value for s in Scope)]
        return []
    if RELATIONSHIPS[record.type].upward is not None and record.strength is None:
        return [f"strength: {record.type} is a line of accountability; say whether it is formal "
                "(a duty to answer, with consequences) or soft (monitoring or convening, no power "
                "to compel)"]
    return []


def joins_problems(relation: Relation, source: Entity, target: Entity) -> list[str]:
    """What is wrong with `relation` joining these two entities, by its type's rule.

    >>> a = Entity(id="a", kind="body", type="board", name="A", scope="scottish_public_sector")
    >>> p = Entity(id="p", kind="policy_area", name="P")
    >>> joins_problems(Relation(source="a", type="RESPONSIBLE_FOR", target="p"), a, p)
    ['RESPONSIBLE_FOR comes from a directorate, government, ministerial_post or post, not a board']
    """
    rule = RELATIONSHIPS[relation.type]
    problems = []
    if str(source.kind) not in rule.sources or str(target.kind) not in rule.targets:
        problems.append(f"{relation.type} joins {' or '.join(sorted(rule.sources))} to "
                        f"{' or '.join(sorted(rule.targets))}, not {source.kind} to {target.kind}")
    if rule.source_types is not None and source.type not in rule.source_types:
        allowed = sorted(rule.source_types)
        problems.append(f"{relation.type} comes from a {', '.join(allowed[:-1])} or {allowed[-1]}, "
                        f"not a {source.type}")
    return problems


class Dataset(BaseModel):
    """A whole graph: what a seed folder holds and what a store can export."""

    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
