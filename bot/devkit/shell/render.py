"""Block Kit and mrkdwn as readable terminal text; buttons and menu options numbered."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
# Slack's date formatting: <!date^1392734382^{date_short_pretty} {time}|fallback>, shown to
# each reader in their own zone (https://api.slack.com/reference/surfaces/formatting#date-formatting)
_DATE = re.compile(r"<!date\^(\d+)\^[^|>]*(?:\|([^>]*))?>")
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]*))?>")


@dataclass
class Clickable:
    """Something `:click N` can press: a button or one option of a menu."""

    label: str
    action: dict[str, Any]
    block_id: str | None
    surface: dict[str, Any] | None  # the view it sits in, None for a message


@dataclass
class Screen:
    lines: list[str] = field(default_factory=list)
    clickables: list[Clickable] = field(default_factory=list)


class Renderer:
    def __init__(self, name_of: Callable[[str], str], when: Callable[[int], str] | None = None) -> None:
        self._name_of = name_of  # a user's or a channel's name, by id
        self._when = when  # a date token's time as the reader sees it

    def text(self, mrkdwn: str) -> str:
        text = _USER.sub(lambda m: "@" + (m.group(2) or self._name_of(m.group(1))), mrkdwn)
        text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or self._name_of(m.group(1))), text)
        text = _DATE.sub(
            lambda m: self._when(int(m.group(1))) if self._when else (m.group(2) or m.group(1)), text
        )
        text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
        return html.unescape(text)

    def blocks(
        self, blocks: list[dict[str, Any]], screen: Screen, surface: dict[str, Any] | None
    ) -> None:
        for block in blocks:
            self._block(block, screen, surface)

    def _block(self, block: dict[str, Any], screen: Screen, surface: dict[str, Any] | None) -> None:
        kind = block.get("type")
        if kind == "header":
            screen.lines.append(f"== {self.text(block['text']['text'])} ==")
        elif kind == "section":
            if "text" in block:
                screen.lines.extend(self.text(block["text"]["text"]).splitlines())
            for item in block.get("fields", []):
                screen.lines.append("  " + self.text(item["text"]))
            if "accessory" in block:
                self._element(block["accessory"], block.get("block_id"), screen, surface)
        elif kind == "context":
            parts = [self.text(e.get("text", "")) for e in block.get("elements", []) if "text" in e]
            screen.lines.append("  (" + " ".join(parts) + ")")
        elif kind == "divider":
            screen.lines.append("-" * 40)
        elif kind == "actions":
            for element in block.get("elements", []):
                self._element(element, block.get("block_id"), screen, surface)
        elif kind == "input":
            label = block.get("label", {}).get("text", "")
            optional = " (optional)" if block.get("optional") else ""
            screen.lines.append(f"[input] {label}{optional}")
            element = block.get("element", {})
            option = (element.get("initial_option") or {}).get("text", {}).get("text")
            initial = element.get("initial_value") or option  # as Slack shows it: the text
            if element.get("initial_users"):
                initial = " ".join("@" + self._name_of(u) for u in element["initial_users"])
            elif element.get("initial_conversation"):
                initial = "#" + self._name_of(str(element["initial_conversation"]))
            if initial:
                screen.lines.append(f"    (now: {initial})")
            for number, option in enumerate(element.get("options", []), start=1):
                screen.lines.append(f"    ({number}) {self.text(option['text']['text'])}")

    def _element(
        self,
        element: dict[str, Any],
        block_id: str | None,
        screen: Screen,
        surface: dict[str, Any] | None,
    ) -> None:
        kind = element.get("type")
        if kind == "button":
            label = element["text"]["text"]
            self._add(screen, label, dict(element), block_id, surface)
        elif kind in ("overflow", "static_select"):
            for option in element.get("options", []):
                action = {
                    "type": kind,
                    "action_id": element["action_id"],
                    "selected_option": option,
                }
                self._add(screen, option["text"]["text"], action, block_id, surface)

    def _add(
        self,
        screen: Screen,
        label: str,
        action: dict[str, Any],
        block_id: str | None,
        surface: dict[str, Any] | None,
    ) -> None:
        if block_id:
            action["block_id"] = block_id
        screen.clickables.append(Clickable(label, action, block_id, surface))
        screen.lines.append(f"  [{len(screen.clickables)}] {label}")

    def message(self, args: dict[str, Any], screen: Screen) -> None:
        blocks = args.get("blocks")
        if blocks:
            self.blocks(blocks, screen, None)
        elif args.get("text"):
            screen.lines.extend(self.text(str(args["text"])).splitlines())

    def view(self, view: dict[str, Any], screen: Screen) -> None:
        title = (view.get("title") or {}).get("text", "Switchboard")
        kind = "App Home" if view.get("type") == "home" else f"modal: {title}"
        screen.lines.append(f"+-- {kind} " + "-" * max(0, 30 - len(kind)))
        self.blocks(view.get("blocks", []), screen, view)
        submit = (view.get("submit") or {}).get("text")
        if submit:
            has_inputs = any(b.get("type") == "input" for b in view.get("blocks", []))
            how = (
                "answer the prompts to submit, :cancel to close" if has_inputs else "answer y to submit"
            )
            screen.lines.append(f"  <{submit}> ({how})")
        screen.lines.append("+" + "-" * 38)
