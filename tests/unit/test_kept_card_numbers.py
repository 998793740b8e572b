"""Forwarding numbers kept for call cards (bot/services/card_numbers.py) read back as they were
read from the provider, marks included; rows kept before the marks offer fewer buttons, never
a wrong one."""

from __future__ import annotations

import json

from bot.domain.forwarding import Number
from bot.services.card_numbers import decode, encode


def _number(**marks: bool) -> Number:
    return Number("7", "Desk", "PhoneLine", "+14155550100", None, True, False, False, **marks)


def test_a_kept_number_reads_back_with_its_marks() -> None:
    numbers = [_number(own_phone=True), _number(mobile=True, named_by_type=True)]
    assert decode(encode(numbers)) == numbers


def test_a_row_kept_before_the_marks_never_offers_a_phone_nobody_may_change() -> None:
    old = json.dumps([["7", "Desk", "PhoneLine", "+14155550100", None, True, False, False]])
    (number,) = decode(old)
    assert number.own_phone  # the card leaves it out
    mine = json.dumps([["8", "Mobile", "Mobile", "+14155550101", None, True, False, True]])
    assert not decode(mine)[0].own_phone
