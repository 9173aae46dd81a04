"""The company profile, format version 1 (see README and schema/profile.schema.json).

Value forms are parsed here: shares (``0.4`` or ``"40%"``), durations (``30s``, ``5m``,
``6h``, ``2d`` or seconds), money, ISO dates. Numbers never come from booleans or text, and
NaN and infinity are refused. Checks that span several fields (shares that must sum to
100%, unique topic names) live in :mod:`channelplan.checks`, so they can point at the
exact line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from channelplan.catalogue import OPEN_HOURS
from channelplan.limits import MAX_NUMBER_DIGITS, OverlongNumber

SUPPORTED_VERSIONS = (1,)
OPTIONAL_SECTIONS = ("customers", "constraints", "priorities", "channels", "transition")
DEFAULT_AGE_MIX = {"under_25": 0.15, "25_to_54": 0.55, "55_plus": 0.30}
URGENCY_SECONDS = {"seconds": 10, "minutes": 300, "hours": 3600, "days": 86400}

FIRST_DAY = dt.date(1970, 1, 1)     # dates a plan may use (transition.start, --start, --today)
LAST_DAY = dt.date(2199, 12, 31)
_PERCENT = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*\Z")
_DURATION = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(s|m|h|d)\s*\Z")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("channelplan", message)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, OverlongNumber):
        return str(value)
    if isinstance(value, int) and abs(value) >= 10 ** MAX_NUMBER_DIGITS:
        return str(OverlongNumber.of(value))
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _finite(value: Any, what: str = "a number") -> float:
    if isinstance(value, OverlongNumber) or (
            isinstance(value, int) and not isinstance(value, bool)
            and abs(value) >= 10 ** MAX_NUMBER_DIGITS):
        raise _fail(f"{_describe(value)} is far out of range here; expected {what}")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(f"expected {what}, got {_describe(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _fail(f"expected {what}, got {value} (NaN and infinity are not allowed)")
    return float(value)


def parse_share(value: Any) -> float:
    """A share from 0 to 1, written as ``0.4`` or ``"40%"``."""
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if not match:
            raise _fail(f"expected a share such as 40% or 0.4, got {_describe(value)}")
        share = float(match.group(1)) / 100
        if share > 1:
            raise _fail(f"a share cannot exceed 100%, got {value.strip()}")
        return share
    share = _finite(value, "a share such as 40% or 0.4")
    if share < 0:
        raise _fail(f"a share cannot be negative, got {_describe(value)}")
    if share > 1:
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        raise _fail(f"a share is from 0 to 1 or a percentage; did you mean {shown}%?")
    return share


def parse_duration(value: Any) -> float:
    """A duration in seconds, written as ``10s``, ``5m``, ``6h``, ``2d`` or a number of seconds."""
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise _fail(f"expected a duration such as 30s, 5m, 6h or 2d, got {_describe(value)}")
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    else:
        seconds = _finite(value, "a duration such as 30s, 5m, 6h or 2d")
    if seconds <= 0:
        raise _fail("a duration must be more than zero")
    return seconds


def _number(minimum: float | None = None, *, exclusive: bool = False, maximum: float | None = None,
             integer: bool = False):
    what = "a whole number" if integer else "a number"

    def check(value: Any) -> float | int:
        number = _finite(value, what)
        if integer and not float(number).is_integer():
            raise _fail(f"expected a whole number, got {_describe(value)}")
        if minimum is not None and (number <= minimum if exclusive else number < minimum):
            bound = "more than" if exclusive else "at least"
            raise _fail(f"must be {bound} {minimum:g}, got {_describe(value)}")
        if maximum is not None and number > maximum:
            raise _fail(f"must be at most {maximum:g}, got {_describe(value)}")
        return int(number) if integer else number

    return check


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise _fail(f"expected a date as YYYY-MM-DD, got {_describe(value)}")
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError("use the form YYYY-MM-DD")
        day = dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise _fail(f"{_describe(value)} is not a valid date ({exc})") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _fail(f"{_describe(value)} is out of range: plan between {FIRST_DAY.year} and "
                    f"{LAST_DAY.year}")
    return day


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    hint = ""
    if isinstance(value, str) and value.strip().lower() in {"yes", "no", "on", "off", "y", "n"}:
        hint = "; YAML 1.2 reads yes/no/on/off as text, write true or false"
    raise _fail(f"expected true or false, got {_describe(value)}{hint}")


def _text(max_length: int, *, required: bool = True):
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise _fail(f"expected text, got {_describe(value)}")
        text = value.strip()
        if any("\ud800" <= ch <= "\udfff" for ch in text):
            raise _fail("holds a lone surrogate, which is not a character")
        if required and not text:
            raise _fail("must not be empty")
        if len(text) > max_length:
            raise _fail(f"must be at most {max_length} characters, got {len(text)}")
        return text

    return check


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        raise _fail(f"expected a 3-letter ISO 4217 currency code such as EUR, got {_describe(value)}")
    return value.strip().upper()


def _version(value: Any) -> int:
    supported = ", ".join(map(str, SUPPORTED_VERSIONS))
    if isinstance(value, bool) or value not in SUPPORTED_VERSIONS:
        raise _fail(f"unsupported profile version {_describe(value)}; this channelplan reads "
                    f"version {supported}")
    return int(value)


_SHARE_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 1},
        {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*%\s*$"},
    ]
}
_DURATION_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*[smhd]\s*$"},
    ]
}

Share = Annotated[float, BeforeValidator(parse_share), WithJsonSchema(_SHARE_SCHEMA)]
def _shrinkage(value: Any) -> float:
    share = parse_share(value)
    if share >= 1:
        raise _fail("shrinkage must be below 100%: some paid time has to be spent on contacts")
    return share


Shrinkage = Annotated[float, BeforeValidator(_shrinkage), WithJsonSchema(_SHARE_SCHEMA)]


def _positive_share(message: str):
    """A share that must be more than 0%, with the message that says why."""
    def check(value: Any) -> float:
        share = parse_share(value)
        if share <= 0:
            raise _fail(message)
        return share

    return check


_POSITIVE_SHARE_SCHEMA = {"anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                                    {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*%\s*$"}]}


def _patience(value: Any) -> float:
    if isinstance(value, str) and value.strip().lower() == "none":
        return math.inf
    try:
        return parse_duration(value)
    except PydanticCustomError:
        raise _fail("expected a duration such as 3m or 180s, or none if callers never hang up, "
                    f"got {_describe(value)}") from None


Occupancy = Annotated[float, BeforeValidator(_positive_share(
    "an occupancy cap must be more than 0%; 85% is the usual planning cap")),
    WithJsonSchema(_POSITIVE_SHARE_SCHEMA)]
TargetShare = Annotated[float, BeforeValidator(_positive_share(
    "a target share must be more than 0%, such as 80%; leave it out to use the channel's usual "
    "target")), WithJsonSchema(_POSITIVE_SHARE_SCHEMA)]
Duration = Annotated[float, BeforeValidator(parse_duration), WithJsonSchema(_DURATION_SCHEMA)]
Patience = Annotated[float, BeforeValidator(_patience),
                     WithJsonSchema({"anyOf": [*_DURATION_SCHEMA["anyOf"], {"const": "none"}]})]
# Upper bounds keep every model finite and fast on hostile input; each is far beyond any
# real support operation.
MAX_MONEY = 1e12
MAX_CONTACTS = 1e9
MAX_STAFF = 1e7
Money = Annotated[float, BeforeValidator(_number(0, maximum=MAX_MONEY)),
                  WithJsonSchema({"type": "number", "minimum": 0, "maximum": MAX_MONEY})]
Contacts = Annotated[float, BeforeValidator(_number(0, exclusive=True, maximum=MAX_CONTACTS)),
                     WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": MAX_CONTACTS})]
Minutes = Annotated[float, BeforeValidator(_number(0, exclusive=True, maximum=1440)),
                    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 1440})]
PeakFactor = Annotated[float, BeforeValidator(_number(1, maximum=50)),
                       WithJsonSchema({"type": "number", "minimum": 1, "maximum": 50})]
Concurrency = Annotated[float, BeforeValidator(_number(1, maximum=20)),
                        WithJsonSchema({"type": "number", "minimum": 1, "maximum": 20})]
Count = Annotated[int, BeforeValidator(_number(1, integer=True, maximum=1e10)),
                  WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 10_000_000_000})]
ChannelCap = Annotated[int, BeforeValidator(_number(1, integer=True, maximum=8)),
                       WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 8})]
Days = Annotated[int, BeforeValidator(_number(0, integer=True, maximum=3650)),
                 WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 3650})]
Priority = Annotated[int, BeforeValidator(_number(0, integer=True, maximum=5)),
                     WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 5})]
Staff = Annotated[float, BeforeValidator(_number(0, maximum=MAX_STAFF)),
                  WithJsonSchema({"type": "number", "minimum": 0, "maximum": MAX_STAFF})]
Date = Annotated[dt.date, BeforeValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]
Flag = Annotated[bool, BeforeValidator(_bool), WithJsonSchema({"type": "boolean"})]
Name = Annotated[str, BeforeValidator(_text(120)),
                 WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 120})]
TopicName = Annotated[str, BeforeValidator(_text(200)),
                      WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 200})]
FreeText = Annotated[str, BeforeValidator(_text(200, required=False)),
                     WithJsonSchema({"type": "string", "maxLength": 200})]
Currency = Annotated[str, BeforeValidator(_currency),
                     WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{3}$"})]
Version = Annotated[int, BeforeValidator(_version), WithJsonSchema({"const": 1})]

Level = Literal["low", "medium", "high"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Company(_Strict):
    name: Name = Field(description="Display name of the business, 1-120 characters.")
    industry: FreeText = Field("", description="Free text, shown in reports.")
    currency: Currency = Field("USD", description="ISO 4217 code; money fields are in this currency.")


class AgeMix(_Strict):
    under_25: Share = Field(0.0, description="Share of customers under 25.")
    age_25_to_54: Share = Field(0.0, alias="25_to_54", description="Share of customers aged 25 to 54.")
    age_55_plus: Share = Field(0.0, alias="55_plus", description="Share of customers 55 or older.")


class Customers(_Strict):
    active: Count | None = Field(None, description="Active customers; default: contacts per month.")
    age_mix: AgeMix | None = Field(
        None, description="Shares of customers by age band, summing to 100%. Default 15% / 55% / 30%.")
    digital_maturity: Level = Field(
        "medium", description="How well customers cope with self-service and bots: low, medium, high.")

    @property
    def ages(self) -> dict[str, float]:
        if self.age_mix is None:
            return dict(DEFAULT_AGE_MIX)
        mix = self.age_mix
        return {"under_25": mix.under_25, "25_to_54": mix.age_25_to_54, "55_plus": mix.age_55_plus}


class Topic(_Strict):
    name: TopicName = Field(description="What customers contact support about; unique.")
    share: Share = Field(description="Share of contacts about this topic.")
    urgency: Literal["seconds", "minutes", "hours", "days"] = Field(
        description="How soon the customer needs an answer: seconds (~10 s), minutes (~5 min), "
                    "hours (~1 h), days (~1 day).")
    complexity: Level = Field("medium", description="Investigation needed to resolve: low, medium, high.")
    sensitivity: Literal["none", "personal", "financial"] = Field(
        "none", description="Data or money involved: none, personal, financial.")


class Demand(_Strict):
    contacts_per_month: Contacts = Field(description="All support contacts per month, all channels together.")
    hours: Literal["business", "extended", "always"] = Field(
        "business",
        description="When customers need answers: business (~9x5), extended (~12x6), always (24x7).")
    peak_factor: PeakFactor = Field(1.5, description="Busiest hour's volume over the average open hour's.")
    topics: list[Topic] = Field(min_length=1, max_length=100,
                                description="The query mix (1-100 topics); shares sum to 100%.")

    @property
    def open_hours_per_month(self) -> float:
        return OPEN_HOURS[self.hours].monthly


class Constraints(_Strict):
    monthly_budget: Money | None = Field(None, description="Support budget per month; default unlimited.")
    agents: Staff | None = Field(
        None, description="Full-time staff available for assisted channels; default unlimited.")
    shrinkage: Shrinkage = Field(
        0.30, description="Share of paid time not available for contacts (below 100%).")
    max_channels: ChannelCap | None = Field(None, description="Never recommend more channels than this.")
    brand_risk_tolerance: Level = Field(
        "medium", description="Tolerance for public complaints on public channels: low, medium, high.")
    max_occupancy: Occupancy = Field(
        0.85, description="Highest share of agents' time planned on contacts in a live queue or "
                          "backlog; default 85%.")
    agent_cost_per_hour: Money | None = Field(
        None, description="Loaded cost of one paid agent hour; when given, channel costs are staff "
                          "hours x this rate + fixed costs + per-contact fees.")
    min_topic_share: Share = Field(
        0.05, description="Topics at or above this share of contacts must be carried by a channel "
                          "that suits them; smaller ones never force a channel in. Default 5%.")


class Priorities(_Strict):
    cost: Priority = Field(3, description="0-5: how much cost to serve matters.")
    speed: Priority = Field(3, description="0-5: how much answer speed matters.")
    effort: Priority = Field(3, description="0-5: how much customer effort matters.")
    satisfaction: Priority = Field(3, description="0-5: how much satisfaction matters.")
    reach: Priority = Field(3, description="0-5: how much reaching every customer group matters.")

    def get(self, name: str) -> int:
        return int(getattr(self, name))


class Target(_Strict):
    answer_within: Duration | None = Field(None, description="Service-level answer time, e.g. 30s, 6h.")
    share: TargetShare | None = Field(None, description="Share answered within that time "
                                                         "(more than 0%).")


class ChannelOffer(_Strict):
    share: Share = Field(description="Share of all contacts arriving on this channel.")
    cost_per_contact: Money | None = Field(None, description="Fully loaded cost of one contact.")
    handle_minutes: Minutes | None = Field(None, description="Average handle time in minutes.")
    csat: Share | None = Field(None, description="Measured customer satisfaction.")
    resolution_rate: Share | None = Field(None, description="Measured first-contact resolution.")
    target: Target | None = Field(None, description="Service-level target.")
    concurrency: Concurrency | None = Field(None, description="Conversations one agent handles at once.")
    decision: Literal["keep", "retire"] | None = Field(
        None, description="A decision already taken: keep or retire.")
    patience: Patience | None = Field(
        None, description="Live queues: how long callers wait on average before hanging up, e.g. "
                          "3m; 'none' if nobody hangs up (then Erlang C).")
    max_occupancy: Occupancy | None = Field(
        None, description="This channel's occupancy cap, overriding constraints.max_occupancy.")
    fixed_monthly_cost: Money | None = Field(
        None, description="Fixed monthly cost of running the channel (licences, platform, numbers).")
    authenticated: Flag | None = Field(
        None, description="Customers are identified before they write (secure portal email, in-app "
                          "messaging after log-in): fit for financial topics.")


def _offer_given(value: Any) -> Any:
    if value is None:
        raise _fail("a channel offered today needs at least its share, such as 'share: 20%'; "
                    "delete the line if the channel is not offered")
    return value


Offer = Annotated[ChannelOffer | None, BeforeValidator(_offer_given)]


class Channels(_Strict):
    phone: Offer = Field(None, description="Phone, offered today.")
    email: Offer = Field(None, description="Email, offered today.")
    live_chat: Offer = Field(None, description="Live chat, offered today.")
    chatbot: Offer = Field(None, description="Chatbot, offered today.")
    social_media: Offer = Field(None, description="Social media, offered today.")
    messaging: Offer = Field(
        None, description="Messaging (SMS and messaging apps), offered today.")
    community_forum: Offer = Field(None, description="Community forum, offered today.")
    knowledge_base: Offer = Field(
        None, description="Knowledge base (help centre, guides, self-service), offered today.")

    def offered(self) -> dict[str, ChannelOffer]:
        """The channels offered today, by id."""
        return {cid: offer for cid in type(self).model_fields
                if (offer := getattr(self, cid)) is not None}


Weeks = Annotated[int, BeforeValidator(_number(1, integer=True, maximum=52)),
                  WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 52})]


class Gates(_Strict):
    """Gate thresholds of the roadmap; each unset one takes its documented default."""

    service_level_weeks: Weeks | None = Field(
        None, description="Weeks in a row the alternatives must meet their service level before "
                          "the announcement (default 2).")
    notice_reach: Share | None = Field(
        None, description="Share of the channel's regular users told directly (default 90%).")
    volume_before_brownouts: Share | None = Field(
        None, description="The old channel's volume, as a share of its baseline, below which "
                          "brownouts start (default 50%).")
    volume_before_sunset: Share | None = Field(
        None, description="The old channel's volume, as a share of its baseline, below which it "
                          "may close (default 20%).")
    repeat_contacts_increase: Share | None = Field(
        None, description="Largest acceptable rise in repeat contacts on the alternatives, in "
                          "points (default 5%).")
    complaints: Share | None = Field(
        None, description="Complaints about the change, as a share of the channel's contacts, "
                          "above which the sunset waits or rolls back (default 1%).")
    rollback_satisfaction_drop: Share | None = Field(
        None, description="Rollback trigger: satisfaction on the alternatives falls by more than "
                          "this many points (default 5%).")
    rollback_service_level_weeks: Weeks | None = Field(
        None, description="Rollback trigger: the alternatives miss their service level this many "
                          "weeks in a row (default 2).")


class Transition(_Strict):
    start: Date | None = Field(None, description="Day 0 of any roadmap (YYYY-MM-DD); default today.")
    min_notice_days: Days = Field(30, description="Shortest announcement-to-sunset notice in days.")
    brownouts: Flag = Field(True, description="Plan short scheduled closures before the sunset.")
    hiring_lead_days: Days = Field(
        56, description="Days to recruit and train agents when the alternatives need more people; "
                        "the announcement waits for them.")
    gates: Gates | None = Field(None, description="Gate thresholds; defaults documented per field.")


class Profile(_Strict):
    """One business's support profile, format version 1."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True,
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema",
                           "title": "channelplan profile, version 1"},
    )

    version: Version = Field(description="Profile format version; must be 1.")
    company: Company = Field(description="The business this profile describes.")
    customers: Customers = Field(default_factory=Customers)
    demand: Demand = Field(description="How many contacts arrive, when, and about what.")
    constraints: Constraints = Field(default_factory=Constraints)
    priorities: Priorities = Field(default_factory=Priorities)
    channels: Channels = Field(default_factory=Channels, description="Channels offered today, keyed by "
                               "channel id; shares sum to 100%. Empty: a greenfield business.")
    transition: Transition = Field(default_factory=Transition)

    @model_validator(mode="before")
    @classmethod
    def _empty_sections(cls, data: Any) -> Any:
        """An optional section left empty (``transition:`` with nothing under it) means
        its defaults."""
        if isinstance(data, dict):
            empty = [key for key in OPTIONAL_SECTIONS if key in data and data[key] is None]
            if empty:
                data = {**data, **{key: {} for key in empty}}
        return data

    _source: str = PrivateAttr("<profile>")
    # a Python function, not the builtin ``list``: pydantic inspects a factory's signature on
    # first use, and a builtin's costs a tokenizer compile (~6 ms of every command's start)
    _warnings: list = PrivateAttr(default_factory=lambda: [])
    _locate: Any = PrivateAttr(None)

    @property
    def source(self) -> str:
        """Where the profile was read from (a path, ``<stdin>`` or ``<dict>``)."""
        return self._source

    @property
    def warnings(self) -> list:
        """Soft problems found while loading (``Problem`` objects)."""
        return list(self._warnings)

    def locate(self, path: tuple) -> tuple[int, int]:
        """Line and column of the value at ``path`` in the source file (1, 1 if unknown)."""
        return self._locate(path) if self._locate else (1, 1)

    @property
    def active_customers(self) -> int:
        if self.customers.active is not None:
            return self.customers.active
        return max(1, round(self.demand.contacts_per_month))
