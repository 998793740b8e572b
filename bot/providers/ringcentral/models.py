"""Typed views of RingCentral payloads. Unknown fields are accepted and ignored."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class TokenInfo(_Model):
    access_token: str
    expires_in: int
    refresh_token: str = ""
    refresh_token_expires_in: int | None = None
    owner_id: str = ""


class Contact(_Model):
    email: str = ""
    first_name: str = Field("", alias="firstName")
    last_name: str = Field("", alias="lastName")


class AdminFlag(_Model):
    enabled: bool = False


class Permissions(_Model):
    admin: AdminFlag = AdminFlag()


class Timezone(_Model):
    name: str = ""


class RegionalSettings(_Model):
    timezone: Timezone = Timezone()


class ExtensionInfo(_Model):
    id: int
    extension_number: str = Field("", alias="extensionNumber")
    name: str = ""
    type: str = ""
    status: str = ""
    contact: Contact = Contact()
    permissions: Permissions = Permissions()
    regional_settings: RegionalSettings | None = Field(None, alias="regionalSettings")


class NextPage(_Model):
    uri: str


class Navigation(_Model):
    next_page: NextPage | None = Field(None, alias="nextPage")


class Paging(_Model):
    page: int = 1
    total_pages: int = Field(1, alias="totalPages")


class ExtensionList(_Model):
    records: list[ExtensionInfo]
    paging: Paging = Paging()
    navigation: Navigation = Navigation()


class PhoneNumberInfo(_Model):
    phone_number: str = Field("", alias="phoneNumber")
    usage_type: str = Field("", alias="usageType")


class PhoneNumberList(_Model):
    records: list[PhoneNumberInfo] = []


class DeviceRef(_Model):
    id: str


class ForwardingNumberInfo(_Model):
    id: str
    phone_number: str = Field("", alias="phoneNumber")
    label: str = ""
    type: str = "Other"
    features: list[str] = []
    flip_number: str | None = Field(None, alias="flipNumber")
    device: DeviceRef | None = None


class ForwardingNumberList(_Model):
    records: list[ForwardingNumberInfo]
    paging: Paging = Paging()
    navigation: Navigation = Navigation()


class ActiveCallInfo(_Model):
    id: str = ""
    direction: str = ""
    from_number: str = Field("", alias="from")
    from_name: str = Field("", alias="fromName")
    to_number: str = Field("", alias="to")
    to_name: str = Field("", alias="toName")
    start_time: str = Field("", alias="startTime")
    telephony_status: str = Field("NoCall", alias="telephonyStatus")
    telephony_session_id: str = Field("", alias="telephonySessionId")
    party_id: str = Field("", alias="partyId")


class PresenceInfo(_Model):
    telephony_status: str = Field("NoCall", alias="telephonyStatus")
    active_calls: list[ActiveCallInfo] = Field([], alias="activeCalls")


class PartyStatus(_Model):
    code: str = ""
    reason: str | None = None


class PartyEnd(_Model):
    phone_number: str = Field("", alias="phoneNumber")
    name: str = ""


class CallPartyInfo(_Model):
    id: str
    extension_id: str | None = Field(None, alias="extensionId")
    status: PartyStatus = PartyStatus()
    direction: str = ""
    from_: PartyEnd = Field(PartyEnd(), alias="from")
    to: PartyEnd = PartyEnd()


class CallSessionInfo(_Model):
    id: str
    parties: list[CallPartyInfo] = []


class FeatureParam(_Model):
    name: str = ""
    value: str = ""


class FeatureInfo(_Model):
    id: str
    available: bool = False
    params: list[FeatureParam] = []


class FeatureList(_Model):
    records: list[FeatureInfo] = []


class ErrorItem(_Model):
    error_code: str = Field("", alias="errorCode")
    message: str = ""
    parameter_name: str | None = Field(None, alias="parameterName")


class ErrorBody(_Model):
    error: str | None = None
    error_code: str | None = Field(None, alias="errorCode")
    message: str | None = None
    errors: list[ErrorItem] = []

    @property
    def first_code(self) -> str | None:
        if self.errors and self.errors[0].error_code:
            return self.errors[0].error_code
        return self.error_code or self.error


class SubscriptionInfo(_Model):
    id: str
    status: str = "Active"
    expiration_time: datetime = Field(alias="expirationTime")
