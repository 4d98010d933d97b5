"""The case exchange format ``cpkit-case/1`` as pydantic models.

The models check structure and field values (types, the protocol's keys, dates that
exist).  Rules that need the whole case (closure, next-meeting reasons, consent) live
in :mod:`cpkit.rules` and are applied by :mod:`cpkit.exchange`.

Unknown keys are kept (``extra="allow"``) so that a case round-trips without loss;
where the format fixes a closed set of keys (risk factors, wellbeing indicators)
unknown keys are refused instead.  Dumping with ``exclude_unset`` gives back what was
read, nothing added.
"""

from __future__ import annotations

import datetime as dt
import pickle
import types
from collections.abc import Callable
from functools import cache
from typing import Annotated, Literal, TypeVar, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    StringConstraints,
    field_validator,
)
from pydantic_core import SchemaValidator, ValidationError, to_json, to_jsonable_python

from cpkit import protocol

FORMAT = "cpkit-case/1"

# Limits keep a hostile or broken document from filling the store.
NAME_MAX = 200
TEXT_MAX = 20_000
LIST_MAX = 500

CASE_ID_PATTERN = protocol.CASE_ID_PATTERN

Name = Annotated[str, StringConstraints(max_length=NAME_MAX)]
Text = Annotated[str, StringConstraints(max_length=TEXT_MAX)]
CaseId = Annotated[str, StringConstraints(pattern=CASE_ID_PATTERN)]
# "yes" or 1 is not a flag: another system's export must say true or false.
Flag = Annotated[bool, Strict()]


def _choice(keys) -> object:
    """A ``Literal`` over the protocol's keys, so errors list the allowed values."""
    return Literal[tuple(keys)]  # type: ignore[valid-type]


Level = _choice(protocol.LEVELS)
HistoryLevel = _choice((*protocol.LEVELS, "not_known"))
AgreedLevel = _choice(("none", *protocol.LEVELS))
Agency = _choice(protocol.agency_keys())
Indicator = _choice(protocol.indicator_keys())
FactorKey = _choice(protocol.factor_keys())
AbuseCategory = _choice(protocol.ABUSE_CATEGORIES)
Sex = _choice(protocol.SEX)
Disability = _choice(protocol.DISABILITY)
Consent = _choice(protocol.CONSENT_VALUES)
WellbeingStatus = _choice(protocol.WELLBEING_STATUSES)
MeetingKind = _choice(protocol.MEETING_KINDS)
MeetingStatus = _choice(protocol.MEETING_STATUSES)
Answer = _choice(protocol.INVITATION_ANSWERS)
Time = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Term = _choice(protocol.CARE_PLAN_TERMS)
ActionStatus = _choice(protocol.ACTION_STATUSES)
ClosureReason = _choice(protocol.CLOSURE_REASONS)


# Every part's validator is built when first needed (``defer_build``), not on import:
# ``cpkit show`` reads a stored case without validating it again (:meth:`Case.from_stored`)
# and so never builds them (they were most of its start).  For the same reason a
# part's default is made without validation (:func:`_blank`: a default is valid as
# written).


def _blank(model: type[BaseModel]) -> Callable[[], BaseModel]:
    """The default factory of a part left out: ``model`` with each field at its default
    and none marked as given, made without validation.

    Why not ``model.model_construct``: pydantic's construct asks every defaulted field's
    factory for its signature on each call (``inspect`` parses the text signature of
    ``list``), about 0.1 ms a part, which made validating a case that leaves a part
    out four times slower (an import validates every case).  The same object, made
    from each field's default worked out once (:func:`_field_defaults`)."""

    def blank() -> BaseModel:
        return model.model_construct(set(), **{name: make() for name, make in
                                               _field_defaults(model)})

    return blank


@cache
def _field_defaults(model: type[BaseModel]) -> tuple[tuple[str, Callable[[], object]], ...]:
    """How each defaulted field of ``model`` gets its default: its factory, or its value
    (the parts' plain defaults are immutable; anything else is copied, as pydantic
    does)."""
    import copy

    makers = []
    for name, field in model.model_fields.items():
        if field.default_factory is not None:
            makers.append((name, field.default_factory))
        elif not field.is_required():
            default = field.default
            plain = default is None or type(default) in (str, int, float, bool)
            makers.append((name, (lambda d=default: d) if plain
                           else (lambda d=default: copy.deepcopy(d))))
    return tuple(makers)


class Part(BaseModel):
    """A part of the case: unknown keys are kept for the round trip."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)


class ClosedPart(BaseModel):
    """A part whose keys the format fixes: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


class Child(Part):
    given_name: Name | None = None
    family_name: Name | None = None
    date_of_birth: dt.date | None = None
    sex: Sex | None = None
    address: Text | None = None
    languages: list[Name] = Field(default_factory=list, max_length=20)
    unaccompanied: Flag = False
    disability: Disability | None = None
    in_conflict_with_law: Flag = False
    # An unaccompanied child's risk stays high until both are recorded.
    safe_accommodation_on: dt.date | None = None
    support_in_place_on: dt.date | None = None


class Referral(Part):
    date: dt.date
    identified_on: dt.date | None = None  # when the referring agency identified the concern
    referring_agency: Agency | None = None
    referrer: Name | None = None
    concern: Text | None = None
    abuse_categories: list[AbuseCategory] = Field(default_factory=list)
    manifestations: list[Text] = Field(default_factory=list, max_length=LIST_MAX)
    signs: list[Text] = Field(default_factory=list, max_length=LIST_MAX)


class NotToDisclose(Part):
    what: Text
    from_: Agency | None = Field(default=None, alias="from")

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=True,
                              defer_build=True)


class ConsentRecord(Part):
    parent_consent: Consent | None = None
    child_assent: Consent | None = None
    written: Flag | None = None
    date: dt.date | None = None
    do_not_disclose: list[NotToDisclose] = Field(default_factory=list, max_length=LIST_MAX)
    shared_without_consent_reason: Text | None = None
    # The member of the agency's management who agreed to share without consent.
    disclosure_agreed_by: Name | None = None
    disclosure_agreed_on: dt.date | None = None


class RiskFactors(ClosedPart):
    """Factor key to level; an absent factor has not been assessed yet."""

    child_age_capacity: Level | None = None
    abuse_severity: Level | None = None
    site_of_injury: Level | None = None
    neglect_severity: Level | None = None
    abuse_history: HistoryLevel | None = None
    abuser_access: Level | None = None
    caregiver_capacity: Level | None = None
    other_carers: Level | None = None
    support_systems: Level | None = None
    living_environment: Level | None = None
    family_stress: Level | None = None

    def assessed(self) -> dict[str, str]:
        """The assessed factors, in the protocol's order."""
        values = self.__dict__  # the fields' values (asked for every stored case)
        return {key: values[key] for key in _FACTOR_KEYS if values[key] is not None}


_FACTOR_KEYS = tuple(protocol.factor_keys())  # the protocol's order, RiskFactors' fields


class IndicatorStatus(Part):
    status: WellbeingStatus = "not_assessed"
    notes: Text | None = None


class Wellbeing(ClosedPart):
    """Exactly the five indicators, each with a status (``not_assessed`` to begin)."""

    safety: IndicatorStatus
    health: IndicatorStatus
    achievement: IndicatorStatus
    nurture: IndicatorStatus
    inclusion: IndicatorStatus

    @classmethod
    def blank(cls) -> Wellbeing:
        return cls.model_construct(**{key: IndicatorStatus.model_construct()
                                      for key in protocol.indicator_keys()})


class Assessment(Part):
    started_on: dt.date | None = None
    completed_on: dt.date | None = None
    risk_factors: RiskFactors = Field(default_factory=_blank(RiskFactors))
    nature_of_risk: list[Text] = Field(default_factory=list, max_length=LIST_MAX)
    vulnerabilities: list[Text] = Field(default_factory=list, max_length=LIST_MAX)
    protective_influences: list[Text] = Field(default_factory=list, max_length=LIST_MAX)
    wellbeing: Wellbeing = Field(default_factory=Wellbeing.blank)
    milestones_concerns: list[Text] = Field(default_factory=list, max_length=LIST_MAX)
    needs: list[Text] = Field(default_factory=list, max_length=LIST_MAX)
    summary: Text | None = None


class Person(Part):
    agency: Agency | None = None
    name: Name | None = None
    role: Name | None = None


class Apology(Person):
    notified_on: dt.date | None = None


class Invitee(Person):
    """An agency invited to a CMR and its answer (Internal Regulations, Article 8)."""

    answer: Answer | None = None
    answered_on: dt.date | None = None
    substitute: Name | None = None
    information: Text | None = None


class ReportedAction(Part):
    """An agency's word on one care-plan action it is responsible for."""

    id: Name
    status: ActionStatus | None = None
    note: Text | None = None
    # (cpkit) the agency cannot carry the action out: "Agencies should immediately
    # notify the case manager if they are unable to comply with the plan".
    cannot_comply: Flag | None = None


class ProgressReport(Part):
    """"For follow up CMRs members should submit a written progress report at least
    three days in advance of the meeting" (one per agency and meeting)."""

    agency: Agency
    by: Name | None = None
    submitted_on: dt.date | None = None
    text: Text | None = None
    actions: list[ReportedAction] = Field(default_factory=list, max_length=LIST_MAX)


class Acknowledgement(Part):
    agency: Agency
    on: dt.date | None = None


class Meeting(Part):
    date: dt.date
    kind: MeetingKind
    status: MeetingStatus | None = None  # absent: held (documents written before)
    time: Time | None = None
    venue: Text | None = None
    cancelled_reason: Text | None = None
    invited: list[Invitee] = Field(default_factory=list, max_length=LIST_MAX)
    invitation_sent_on: dt.date | None = None
    assessment_sent_on: dt.date | None = None
    draft_plan_sent_on: dt.date | None = None
    progress_reports: list[ProgressReport] = Field(default_factory=list, max_length=LIST_MAX)
    family_notified_on: dt.date | None = None
    views_sought_on: dt.date | None = None
    family_will_attend: Flag | None = None
    attendance_support: Text | None = None
    outcome_told_on: dt.date | None = None
    minutes_acknowledged: list[Acknowledgement] = Field(default_factory=list,
                                                        max_length=LIST_MAX)
    chair: Name | None = None
    minute_taker: Name | None = None
    participants: list[Person] = Field(default_factory=list, max_length=LIST_MAX)
    apologies: list[Apology] = Field(default_factory=list, max_length=LIST_MAX)
    family_attended: Flag | None = None
    child_attended: Flag | None = None
    family_views: Text | None = None
    child_views: Text | None = None
    discussion: Text | None = None
    agreed_risk_level: AgreedLevel | None = None
    decisions: list[Text] = Field(default_factory=list, max_length=LIST_MAX)
    next_meeting: dt.date | None = None
    next_meeting_reason: Text | None = None
    minutes_distributed_on: dt.date | None = None

    @property
    def held(self) -> bool:
        """Held: recorded as held, or written before meetings had a status."""
        return self.status in (None, "held")

    @property
    def planned(self) -> bool:
        return self.status == "planned"

    def report_of(self, agency: str) -> ProgressReport | None:
        return next((r for r in self.progress_reports if r.agency == agency), None)


class Progress(Part):
    date: dt.date | None = None
    by: Name | None = None
    note: Text | None = None


class Action(Part):
    id: Name | None = None
    need: Text | None = None
    indicator: Indicator | None = None
    risk_factor: FactorKey | None = None
    action: Text | None = None
    responsible_agency: Agency | None = None
    responsible_person: Name | None = None
    term: Term | None = None
    due: dt.date | None = None
    contingency: Text | None = None
    status: ActionStatus = "planned"
    progress: list[Progress] = Field(default_factory=list, max_length=LIST_MAX)


class CarePlan(Part):
    agreed_on: dt.date | None = None
    review_date: dt.date | None = None
    distributed_on: dt.date | None = None
    actions: list[Action] = Field(default_factory=list, max_length=LIST_MAX)


class Consulted(Acknowledgement):
    """An agency consulted before closing a case, and when (same shape: agency, on)."""


class ChronologyEntry(Part):
    """An event the case manager adds to the chronology by hand (an incident, a court
    hearing, a move): when, what, and who said so."""

    date: dt.date
    what: Text
    source: Name | None = None


class Closure(Part):
    date: dt.date
    reason: ClosureReason
    child_views: Text | None = None
    family_views: Text | None = None
    child_views_not_sought_reason: Text | None = None
    family_views_not_sought_reason: Text | None = None
    agreed_at_meeting: dt.date | None = None
    agencies_consulted: list[Consulted] = Field(default_factory=list, max_length=LIST_MAX)
    transferred_to: Person | None = None
    no_further_coordination: Flag | None = None
    moved_to: Name | None = None
    responsible: Name | None = None
    notes: Text | None = None


class WarningAcknowledgement(Part):
    """A protocol warning the user read and went on from: which rule, which field, who,
    when (``docs/protocol-rules.md``)."""

    rule: Name
    field: Name = ""
    by: Name
    at: dt.datetime
    note: Text | None = None


class Case(Part):
    """One child protection case, as the exchange format carries it."""

    format: Literal["cpkit-case/1"]
    case_id: CaseId | None = None
    municipality: Name | None = None
    training: Flag = False
    child: Child = Field(default_factory=_blank(Child))
    referral: Referral
    case_manager: Name | None = None
    agencies_involved: list[Agency] = Field(default_factory=list)
    consent: ConsentRecord = Field(default_factory=_blank(ConsentRecord))
    assessment: Assessment = Field(default_factory=_blank(Assessment))
    meetings: list[Meeting] = Field(default_factory=list, max_length=LIST_MAX)
    care_plan: CarePlan = Field(default_factory=_blank(CarePlan))
    closure: Closure | None = None
    chronology: list[ChronologyEntry] = Field(default_factory=list, max_length=LIST_MAX)
    acknowledgements: list[WarningAcknowledgement] = Field(default_factory=list,
                                                           max_length=LIST_MAX)

    # The document this case was validated from, with every rule checked (set by
    # cpkit.exchange.load_case): a write of an unchanged case need not check it again.
    # Kept as JSON text so that no later change to the dict it came from can count.
    _validated: bytes | None = PrivateAttr(default=None)

    @field_validator("agencies_involved")
    @classmethod
    def _no_repeats(cls, agencies: list[str]) -> list[str]:
        if len(set(agencies)) != len(agencies):
            raise ValueError("an agency is listed more than once")
        return agencies

    def to_document(self) -> dict:
        """The exchange document: what was read or set since, nothing added."""
        return _document(self)

    def validated_document(self, document: dict | None = None) -> dict | None:
        """The document as validated with the rules, if the case has not changed since
        (``document``: this case's, already made, so it is not made twice)."""
        if self._validated is None:
            return None
        document = self.to_document() if document is None else document
        return document if snapshot(document) == self._validated else None

    def mark_validated(self, document: dict) -> None:
        """Record that ``document`` (this case's) passed every rule."""
        self._validated = snapshot(document)

    @property
    def code(self) -> str:
        """The case code, for places where a case must be named without the child."""
        return self.case_id or "(new case)"

    @classmethod
    def from_stored(cls, document: dict) -> Case:
        """The case of a stored ``document``, equal to ``Case.model_validate(document)``
        but made without validating it again: see :func:`read_stored`."""
        return read_stored(cls, document)


def build_validators() -> None:
    """Build every part's validator now rather than when first needed: for a process
    that forks workers which all validate (the forms' zygote), so that each does not
    build its own."""
    for part in parts():
        part.model_rebuild()


def parts() -> list[type[BaseModel]]:
    """Every class of the case model (the parts below :class:`Part` and
    :class:`ClosedPart`, the case itself among them)."""
    return _subclasses(Part) + _subclasses(ClosedPart)


def _subclasses(model: type[BaseModel]) -> list[type[BaseModel]]:
    return [sub for child in model.__subclasses__() for sub in (child, *_subclasses(child))]


def snapshot(document: dict) -> bytes:
    """A document as fixed text, to tell later whether it changed."""
    return json_bytes(document)


def json_bytes(value: object) -> bytes:
    """A JSON value (a document) as compact JSON text in UTF-8, keys in their order.

    Why not ``json.dumps``: every stored case is written out several times (its
    snapshot, its sealed part, its stored text), and pydantic-core's encoder does it
    about five times faster.  The text is ``json.dumps(value, ensure_ascii=False,
    separators=(",", ":"))``'s but for how a float is spelt (``0.00001`` for
    ``1e-05``): the same number to any JSON reader.  A value JSON cannot hold is
    refused (:class:`pydantic_core.PydanticSerializationError`), as ``json.dumps``
    refused it."""
    return to_json(value)


def copy_document(document: dict) -> dict:
    """A deep copy of a document (plain JSON values: dicts, lists, texts, numbers),
    equal to ``copy.deepcopy(document)``, made by pickling it in memory.

    Why: a form copies the document it holds at every save to write its fields into
    (:meth:`cpkit.forms.base.BaseForm.collect`), and ``copy.deepcopy`` walks it in
    Python, about three times slower than the pickle round trip (which keeps every
    type and shared value as ``deepcopy`` does)."""
    return pickle.loads(pickle.dumps(document, pickle.HIGHEST_PROTOCOL))


@cache
def _defaults(model: type[BaseModel]) -> dict[str, tuple[str, object]]:
    """Each field's output name and default, worked out once per model class (pydantic
    inspects a default factory's signature on every ``get_default`` call)."""
    return {
        name: (field.alias or name, field.get_default(call_default_factory=True))
        for name, field in model.model_fields.items()
    }


def _document(value: object) -> object:
    """Dump ``value`` keeping fields that were given or differ from their default.

    ``exclude_unset`` alone would drop a part that a form filled in after loading
    (its parent was never "set"); ``exclude_defaults`` alone would drop an explicit
    ``false`` that was read.  Keeping either keeps the round trip exact.  (This runs
    for every stored case, so it reads pydantic's own attributes directly.)
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if isinstance(value, BaseModel):
        fields, given = value.__dict__, value.__pydantic_fields_set__
        out: dict = {}
        for name, (alias, default) in _defaults(kind).items():
            item = fields[name]
            if name not in given and item == default:
                continue
            out[alias] = _document(item)
        if value.__pydantic_extra__:
            out.update(value.__pydantic_extra__)
        return out
    if kind is list:
        return [_document(item) for item in value]
    return to_jsonable_python(value)


# Reading a stored case without validating it again.

Model = TypeVar("Model", bound=BaseModel)


class _NotAsStored(ValueError):
    """A document is not as the store writes it: the model's validation must judge it."""


def read_stored(model: type[Model], document: dict) -> Model:
    """``model`` made from a ``document`` the store wrote, equal to
    ``model.model_validate(document)``, without building or running the validator.

    Why: a stored case was validated, with every rule, when it was written, and its
    sealed part is authenticated (:mod:`cpkit.store.codec`); validating it again on
    every read cost ``cpkit show`` most of its start (building the parts'
    validators).  What is still checked is what a value must be for the model's
    code to work on it: each key is a field (or kept as an unknown key where the part
    allows them), each value of its field's JSON type, a choice one of the allowed
    keys, a date a date (parsed by pydantic-core, as validation parses it), every
    required field present.  Limits (lengths, patterns) and validators that only
    refuse (an agency listed twice) are write-side checks, not repeated.  A document
    that fails these (a plain document changed by hand, a store written by a future
    version) is validated as before: the same case or the model's own error.
    """
    try:
        return _construct(model, document)
    except _NotAsStored:
        return model.model_validate(document)


def _construct(model: type[Model], document: object) -> Model:
    if type(document) is not dict:
        raise _NotAsStored
    fields, names, closed = _plan(model)
    values: dict = {}
    extra: dict = {}
    for key, value in document.items():
        found = fields.get(key)
        if found is not None:
            values[found[0]] = found[1](value)
        elif closed or key in names or key.startswith("_"):
            raise _NotAsStored  # refused, a field's name for its alias, or private
        else:
            extra[key] = value
    if not _required(model) <= values.keys():
        raise _NotAsStored
    # fields set: the keys given, unknown ones too (as validation sets them)
    return model.model_construct({*values, *extra}, **values, **extra)


@cache
def _required(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, field in model.model_fields.items()
                     if field.is_required())


@cache
def _plan(model: type[BaseModel]) -> tuple[dict[str, tuple[str, Callable]], frozenset[str],
                                           bool]:
    """For each key of ``model``'s document (a field's alias or name): the field's name
    and how its stored value is read; the fields' names; whether unknown keys are
    refused."""
    fields = {field.alias or name: (name, _reader(field.annotation))
              for name, field in model.model_fields.items()}
    return fields, frozenset(model.model_fields), model.model_config.get("extra") == "forbid"


def _reader(annotation: object) -> Callable[[object], object]:
    """How a stored value of type ``annotation`` is read; a ``TypeError`` for a type the
    stored read does not know (a new kind of field must be added here)."""
    origin = get_origin(annotation)
    if origin is Annotated:  # the constraints are checked on write
        return _reader(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        args = get_args(annotation)
        if len(args) != 2 or type(None) not in args:
            raise TypeError(f"no stored read for {annotation!r}")
        inner = _reader(next(a for a in args if a is not type(None)))
        return lambda value: None if value is None else inner(value)
    if origin is list:
        item = _reader(get_args(annotation)[0])

        def read_list(value: object) -> list:
            if type(value) is not list:
                raise _NotAsStored
            return [item(v) for v in value]
        return read_list
    if origin is Literal:
        allowed = frozenset(get_args(annotation))
        if not all(type(key) is str for key in allowed):
            raise TypeError(f"no stored read for {annotation!r}")
        return lambda value: value if type(value) is str and value in allowed else _refuse()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return lambda value: _construct(annotation, value)
    if annotation is str or annotation is bool:
        return lambda value: value if type(value) is annotation else _refuse()
    if annotation is dt.datetime or annotation is dt.date:
        parse = SchemaValidator({"type": annotation.__name__}).validate_python

        def read_date(value: object) -> object:
            if type(value) is not str:
                raise _NotAsStored
            try:
                return parse(value)
            except ValidationError:
                raise _NotAsStored from None
        return read_date
    raise TypeError(f"no stored read for {annotation!r}")


def _refuse() -> None:
    raise _NotAsStored
