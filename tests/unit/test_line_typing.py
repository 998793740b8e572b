"""How a line is typed, as the help words it: built from the `Usage` each provider's `LineSpec`
declares (bot/providers/<name>/specs.py), for the providers in use only. The words are typed
messages: what is typed is `Verbatim`, a code span in Slack (`<` and `>` escaped, as Slack asks)."""

from __future__ import annotations

from bot.domain.notices import plain
from bot.providers.registry import KNOWN_SPECS
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.smspartner.declaration import SMSPARTNER
from bot.providers.voipnow.declaration import VOIPNOW
from bot.slack.rendering import render


def test_every_provider_in_use_is_offered_in_the_registrys_order() -> None:
    typing = KNOWN_SPECS.typing([RINGCENTRAL, VOIPNOW, SMSPARTNER])
    assert render(typing.link_usage) == (
        "Link to an extension (`102`), `voipnow:&lt;userId&gt;/&lt;extension&gt;` or "
        "`smspartner:&lt;number&gt;`."
    )
    assert plain(typing.link_usage) == (
        "Link to an extension (102), voipnow:<userId>/<extension> or smspartner:<number>."
    )
    assert plain(typing.link_alternatives) == " (or voipnow:<userId>/<ext>, smspartner:<number>)"
    assert render(typing.not_a_hotline) == (
        "A hotline is a line no person is linked to: a RingCentral department, call queue or "
        "IVR extension (e.g. `200`) or `smspartner:&lt;number&gt;`."
    )
    assert typing.hotline_label == "Hotline: RingCentral extension or smspartner:<number>"


def test_a_provider_not_in_use_is_not_offered() -> None:
    alone = KNOWN_SPECS.typing([RINGCENTRAL])
    assert render(alone.link_usage) == "Link to an extension (`102`)."
    assert render(alone.link_alternatives) == ""
    assert "smspartner" not in plain(alone.not_a_hotline)
    assert alone.hotline_label == "Hotline: RingCentral extension"
    no_hotlines = KNOWN_SPECS.typing([VOIPNOW])
    assert plain(no_hotlines.link_usage) == "Link to voipnow:<userId>/<extension>."
    assert "no provider in use has one" in plain(no_hotlines.not_a_hotline)
