"""Paths and paging shared by the RingCentral API modules."""

ACCOUNT = "/restapi/v1.0/account/~"
PER_PAGE = 1000
