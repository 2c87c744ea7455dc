"""The closed vocabularies of the graph, and what each relationship type means.

`RELATIONSHIPS` is the one place that says how a relationship type reads, which family
it belongs to, whether an accountability chain walks it upwards (and which way), and
whether it is a responsibility. The accountability walk, the gap and duplication rules,
the map's line styles and the Cypher push-down all derive from it; a test fails when a
type has no entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class NodeKind(StrEnum):
    BODY = "body"
    POLICY_AREA = "policy_area"
    PLAN = "plan"
    PRIORITY_AREA = "priority_area"
    ACTION = "action"
    LEGISLATION = "legislation"
    FUNDAMENTAL = "fundamental"
    SOURCE_DOCUMENT = "source_document"
    FINDING = "finding"


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


class DocumentKind(StrEnum):
    """What kind of publication a source document is."""

    OFFICIAL_REPORT = "official_report"
    PROGRESS_UPDATE = "progress_update"
    COUNCIL_REPORT = "council_report"
    STATUTE = "statute"
    WEB_PAGE = "web_page"


class FindingType(StrEnum):
    """What a stated finding says is missing or weak (the documents' own assessments)."""

    NO_COMMITMENT = "no_commitment"
    WEAK_COMMITMENT = "weak_commitment"
    LITTLE_OR_NO_WORK = "little_or_no_work"
    NO_LEAD = "no_lead"
    NO_STRATEGY = "no_strategy"
    NO_ROUTE_MAP = "no_route_map"
    NO_STANDARDS = "no_standards"
    NO_BASELINE_DATA = "no_baseline_data"
    NO_SCRUTINY = "no_scrutiny"
    ROLE_UNCLEAR = "role_unclear"
    NO_RESPONSE_ROUTE = "no_response_route"
    CAPACITY = "capacity"
    LATE_MONITORING = "late_monitoring"
    FRAGMENTED = "fragmented"
    PACE = "pace"
    IMPLEMENTATION_GAP = "implementation_gap"


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
    AUTHORED = "AUTHORED"
    FACILITATES = "FACILITATES"
    INFORMS = "INFORMS"
    PARTY_TO = "PARTY_TO"
    WORKS_WITH = "WORKS_WITH"
    CONCERNS = "CONCERNS"
    ASSESSED_BY = "ASSESSED_BY"


Family = Literal["accountability", "structure", "oversight", "leadership", "membership",
                 "contribution", "funding", "scope", "link", "provenance", "legal", "finding"]
Upward = Literal["forward", "backward"]


@dataclass(frozen=True)
class RelMeaning:
    """How one relationship type reads and what the analyses make of it.

    `upward` says whether the line is walked up an accountability chain: *forward*
    (source answers to target), *backward* (target answers to source), or not at all.
    Every upward line carries its own `strength` (formal or soft) in the data.
    `responsibility` marks something the source holds that needs a new holder when the
    source ends. `sources` and `targets` are the node kinds the type joins.
    """

    reads: str
    reads_inverse: str
    family: Family
    rule: str
    sources: frozenset[str]
    targets: frozenset[str]
    upward: Upward | None = None
    responsibility: bool = False
    source_types: frozenset[str] | None = None  # body types allowed as source, when limited


_BODY = frozenset({"body"})
_ANY = frozenset(k.value for k in NodeKind)
_WORK = frozenset({"action", "plan", "body", "policy_area", "priority_area"})

RELATIONSHIPS: dict[RelType, RelMeaning] = {
    RelType.REPORTS_TO: RelMeaning(
        "reports to", "receives reports from", "accountability",
        "The text says A reports to B, or presents progress reports to B.",
        _BODY, _BODY, upward="forward"),
    RelType.ACCOUNTABLE_TO: RelMeaning(
        "is accountable to", "is answered to by", "accountability",
        "A answers to B by statute or by the text's own words (sponsored by, accountable to).",
        _BODY, _BODY, upward="forward"),
    RelType.HOLDS_TO_ACCOUNT: RelMeaning(
        "holds to account", "is held to account by", "oversight",
        "A holds B to account (the text, or a statute, says so); walked upwards from B to A.",
        _BODY, _BODY, upward="backward", responsibility=True),
    RelType.FACILITATES: RelMeaning(
        "facilitates", "is facilitated by", "contribution",
        "A convenes and services group B (\"facilitated by\"); B answers to A, softly.",
        _BODY, _BODY, upward="backward", responsibility=True),
    RelType.PART_OF: RelMeaning(
        "is part of", "includes", "structure",
        "Body A is a component of body B: a directorate of a government, a committee of a "
        "council. Not \"one of a group\" (MEMBER_OF), nor a part of a plan (BELONGS_TO).",
        _BODY, _BODY, upward="forward"),
    RelType.MEMBER_OF: RelMeaning(
        "is a member of", "has as a member", "membership",
        "A sits on B, or is one of the bodies a collective or partnership names.",
        _BODY, _BODY),
    RelType.CHAIRS: RelMeaning(
        "chairs", "is chaired by", "leadership",
        "A (a post, or an organisation that provides the chair) chairs B.",
        _BODY, _BODY, responsibility=True),
    RelType.LEADS: RelMeaning(
        "leads", "is led by", "leadership",
        "A is named as a lead organisation of B (an action, programme or plan); "
        "`rank: primary` where the text gives A overall responsibility.",
        _BODY, frozenset({"action", "plan", "body"}), responsibility=True),
    RelType.RESPONSIBLE_FOR: RelMeaning(
        "is responsible for", "is the responsibility of", "leadership",
        "A minister, government, directorate or senior post holds responsibility for policy "
        "area B (or for the commitment a plan stands for, such as The Promise).",
        _BODY, frozenset({"policy_area", "plan"}), responsibility=True,
        source_types=frozenset({"ministerial_post", "government", "directorate", "post"})),
    RelType.OVERSEES: RelMeaning(
        "oversees", "is overseen by", "oversight",
        "A directs or oversees the delivery of B.",
        _BODY, _WORK, responsibility=True),
    RelType.SCRUTINISES: RelMeaning(
        "scrutinises", "is scrutinised by", "oversight",
        "A inspects, audits, regulates or gives assurance on B.",
        _BODY, _WORK, responsibility=True),
    RelType.MONITORS: RelMeaning(
        "monitors", "is monitored by", "oversight",
        "A tracks and reports on the progress of B.",
        _BODY, _WORK | {"plan"}, responsibility=True),
    RelType.ESCALATES_TO: RelMeaning(
        "escalates issues to", "takes escalated issues from", "oversight",
        "A takes issues it cannot resolve to B.", _BODY, _BODY),
    RelType.CONTRIBUTES_TO: RelMeaning(
        "contributes to", "has a contribution from", "contribution",
        "A has a role in B short of leading it (\"a key role to play\", \"a key ongoing "
        "role\", \"will work with\"), or made a commitment towards it.",
        frozenset({"body", "plan"}), _WORK | {"legislation"}),
    RelType.SUPPORTS: RelMeaning(
        "supports", "is supported by", "contribution",
        "A gives B practical help (support, capacity, facilitation of its work).",
        frozenset({"body", "plan"}), _WORK, responsibility=True),
    RelType.ADVISES: RelMeaning(
        "advises", "is advised by", "contribution", "A gives advice to B.", _BODY, _BODY),
    RelType.WORKS_WITH: RelMeaning(
        "works with", "works with", "contribution",
        "A and B work jointly as equals (\"strengthens the relationship between\"); "
        "recorded once, either way round.", _BODY, _BODY),
    RelType.PARTY_TO: RelMeaning(
        "is a party to", "has as a party", "membership",
        "A is a party to agreement B.", _BODY, frozenset({"plan"})),
    RelType.FUNDS: RelMeaning(
        "funds", "is funded by", "funding", "A provides money to B.", _BODY, _BODY,
        responsibility=True),
    RelType.ADMINISTERS: RelMeaning(
        "administers", "is administered by", "funding", "A administers fund or programme B.",
        _BODY, _BODY, responsibility=True),
    RelType.COMMISSIONS: RelMeaning(
        "commissioned", "was commissioned by", "provenance", "A commissioned B.",
        _BODY, frozenset({"body", "plan"})),
    RelType.AUTHORED: RelMeaning(
        "wrote", "was written by", "provenance",
        "A wrote or published document, plan or report B (never LEADS).",
        _BODY, frozenset({"plan", "source_document"})),
    RelType.HAS_DUTY_UNDER: RelMeaning(
        "has a duty under", "places a duty on", "legal",
        "A has a statutory duty under legislation B.", _BODY, frozenset({"legislation"})),
    RelType.COVERS: RelMeaning(
        "covers", "is covered by", "scope",
        "Plan or framework A has B in its scope (not an output A must produce).",
        frozenset({"plan"}), frozenset({"policy_area", "priority_area", "action", "plan"})),
    RelType.INFORMS: RelMeaning(
        "informs", "is informed by", "link", "Plan A informs (shapes) plan B.",
        frozenset({"plan"}), frozenset({"plan"})),
    RelType.LINKS_TO: RelMeaning(
        "links to", "is linked from", "link", "Action A names action B among its links.",
        frozenset({"action"}), frozenset({"action"})),
    RelType.BELONGS_TO: RelMeaning(
        "belongs to", "includes", "structure",
        "Action, fundamental or plan A is a component of plan or programme B.",
        frozenset({"action", "fundamental", "plan"}), frozenset({"plan", "body"})),
    RelType.CONCERNS: RelMeaning(
        "concerns", "is the subject of", "finding",
        "Stated finding A is about B (an action, body, plan or area it assesses).",
        frozenset({"finding"}), _ANY - {"finding", "source_document"}),
    RelType.ASSESSED_BY: RelMeaning(
        "was assessed by", "assessed", "finding",
        "Stated finding A is the assessment of body B (who wrote it).",
        frozenset({"finding"}), _BODY),
    RelType.SUCCEEDS: RelMeaning(
        "succeeds", "is succeeded by", "provenance", "A succeeds or replaces B.", _ANY, _ANY),
}
UPWARD_TYPES = frozenset(str(t) for t, m in RELATIONSHIPS.items() if m.upward)
RESPONSIBILITY_TYPES = frozenset(str(t) for t, m in RELATIONSHIPS.items() if m.responsibility)
OVERSIGHT_TYPES = frozenset(str(t) for t, m in RELATIONSHIPS.items() if m.family == "oversight")


def meaning(rel_type: str | RelType) -> RelMeaning:
    """The entry of `rel_type` in `RELATIONSHIPS`.

    >>> meaning("HOLDS_TO_ACCOUNT").upward, meaning("LEADS").reads_inverse
    ('backward', 'is led by')
    """
    return RELATIONSHIPS[RelType(rel_type)]



class Confidence(StrEnum):
    STATED = "stated"
    INFERRED = "inferred"


class AssessmentStatus(StrEnum):
    """The Change Programme's three-way assessment of an action's progress."""

    UNDERWAY = "underway"
    UNDERWAY_NOT_SUFFICIENT = "underway_not_sufficient"
    LITTLE_OR_NO_WORK = "little_or_no_work"


class SourceKind(StrEnum):
    """A document excerpt (the evidence base) or a reference (the cited background layer)."""

    DOCUMENT = "document"
    REFERENCE = "reference"


class Scope(StrEnum):
    """Where a body sits, so analyses ask only the right bodies to answer upwards."""

    SCOTTISH_PUBLIC_SECTOR = "scottish_public_sector"
    UK_WIDE = "uk_wide"
    ENGLAND = "england"
    JUDICIARY = "judiciary"
    THIRD_SECTOR = "third_sector"
    ACADEMIC = "academic"
    COLLECTIVE = "collective"


class Strength(StrEnum):
    """How strong an upward line is.

    *formal*: a statutory or constitutional duty to answer, with consequences (a body
    answering to ministers, ministers to the Parliament, a directorate part of the
    government, a team within its organisation). *soft*: monitoring and reporting publicly
    on progress, with no power to compel given anywhere in the sources (the Oversight
    Board "reports on whether the work is being done"), or convening a group without a
    power of direction.
    """

    FORMAL = "formal"
    SOFT = "soft"


class LeadRank(StrEnum):
    """Where the text ranks the leads of an action: `primary` holds overall responsibility."""

    PRIMARY = "primary"
