"""An LLM seat: `--agent tokyo=llm:URL` asks an OpenAI-compatible chat completions endpoint.

It is a Transport: it takes the same `turn` messages a program would get (so it sees only
what the role may see), adds the scenario's public texts (title, summary, the role's
brief, what each value means), and asks the model for one JSON object of orders and a
rationale. A reply that cannot be used is sent back to the model once with the problem; a
second bad reply becomes the seat's error for the turn.

Model and key: `--llm-model` or $WARGAME_LLM_MODEL; $WARGAME_LLM_API_KEY (or
$OPENAI_API_KEY) as a Bearer token, when set. Only the standard library is used.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from wargame.engine.content import Content
from wargame.seats.protocol import ReplyError, decode_reply, encode
from wargame.seats.transport import SeatTimeout

DEFAULT_MODEL = "default"
MAX_RESPONSE = 1 << 20

SYSTEM = """You hold one seat in a policy wargame played in quarterly turns. Each turn every
government chooses orders in secret; they resolve together. Choose orders that serve your
government's objectives. Answer with ONE JSON object and nothing else:
{"orders": ["order_id", ...], "rationale": "one or two sentences on why"}
Use only order ids from the legal list, each at most once, with total cost no more than
your capital. An empty list passes."""


def chat_url(url: str) -> str:
    """`http://host:port/v1` or the full `.../chat/completions` → the full endpoint."""
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else url + "/chat/completions"


def _value_line(content: Content, name: str, value: object) -> str:
    var = content.variables.get(name)
    text = f" — {var.text}" if var is not None and var.text else ""
    return f"- {name} = {value}{text}"


def prompt(content: Content, turn: Mapping[str, Any]) -> str:
    """The user message for one `turn` message: only what that message holds, plus the
    scenario's public texts."""
    view = turn["view"]
    role = content.role(turn["role"])
    lines = [
        f"Scenario: {content.title}",
        content.summary.strip(),
        "",
        f"You are {role.name}. {role.text}".strip(),
        f"Turn {turn['turn']} of {content.turns} ({turn['label']}). "
        f"Your political capital: {view['capital']}.",
        "",
        "Your objectives:",
        *(
            f"- {o['text']} ({o['points']} points {o['scored'].replace('_', ' ')}; "
            f"{'holds now' if o['holds'] else 'does not hold now'})"
            for o in view["objectives"]
        ),
        "",
        "The situation now:",
        *(_value_line(content, k, v) for k, v in view["values"].items()),
    ]
    if view["events"]:
        lines += ["", "News this turn:", *(f"- {e['title']}: {e['text']}" for e in view["events"])]
    last = view.get("last_report")
    if last:
        lines += ["", f"Last turn ({last['label']}), every government's orders and outcomes:"]
        lines += [
            f"- {o['role']} {o['action']}{':' + o['target'] if o.get('target') else ''}: "
            f"{o['result']} — {o['why']}"
            for o in last["outcomes"]
        ] or ["- everyone passed"]
    lines += ["", "Legal orders (id — title, cost: what it does):"]
    lines += [
        f"- {a['order']} — {a['title']}, cost {a['cost']}: {a['text']}" for a in turn["legal"]
    ]
    return "\n".join(lines)


_JSON_OBJECT = re.compile(r"\{.*\}", re.S)


def parse_answer(text: str, turn: Mapping[str, Any]) -> dict[str, Any]:
    """The model's answer → an `orders` message, or ReplyError saying what to fix."""
    found = _JSON_OBJECT.search(text or "")
    if found is None:
        raise ReplyError("the answer holds no JSON object")
    try:
        doc = json.loads(found.group(0))
    except json.JSONDecodeError as err:
        raise ReplyError(f"the answer's JSON does not parse: {err.msg}") from None
    if not isinstance(doc, dict):
        raise ReplyError("the answer must be a JSON object")
    message = {"type": "orders", "orders": doc.get("orders"), "rationale": doc.get("rationale")}
    if message["rationale"] is None:
        del message["rationale"]
    orders, _, _ = decode_reply(encode(message))
    legal = {a["order"]: a["cost"] for a in turn["legal"]}
    unknown = [o.key for o in orders if o.key not in legal]
    if unknown:
        raise ReplyError(f"{unknown[0]} is not on the legal list")
    if len({o.key for o in orders}) != len(orders):
        raise ReplyError("an order is given twice")
    cost = sum(legal[o.key] for o in orders)
    if cost > turn["view"]["capital"]:
        raise ReplyError(f"the orders cost {cost}; capital is {turn['view']['capital']}")
    return message


class LlmTransport:
    """A chat-completions endpoint as a seat's transport."""

    def __init__(
        self,
        url: str,
        content: Content,
        *,
        model: str | None = None,
        api_key: str | None = None,
        temperature: float = 0.2,
    ) -> None:
        self.url = chat_url(url)
        self.content = content
        self.model = model or os.environ.get("WARGAME_LLM_MODEL") or DEFAULT_MODEL
        self.api_key = (
            api_key or os.environ.get("WARGAME_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
        )
        self.temperature = temperature
        self._turn: Mapping[str, Any] | None = None
        self.calls = 0

    def send(self, message: Mapping[str, Any]) -> None:
        if message.get("type") == "turn":
            self._turn = message

    def discard_pending(self) -> int:
        return 0

    def close(self) -> None:
        self._turn = None

    def receive(self, timeout: float | None) -> bytes:
        turn, self._turn = self._turn, None
        if turn is None:
            raise ReplyError("no turn to answer")
        deadline = None if timeout is None else time.monotonic() + timeout
        messages = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": prompt(self.content, turn)},
        ]
        problem = ""
        for _attempt in range(2):  # one retry, told what was wrong
            answer = self._complete(messages, deadline)
            try:
                return encode(parse_answer(answer, turn))
            except ReplyError as err:
                problem = str(err)
            messages += [
                {"role": "assistant", "content": answer},
                {"role": "user", "content": f"That answer cannot be used: {problem}. "
                 "Answer again with one JSON object only."},
            ]
        raise ReplyError(f"the model's answer could not be used twice: {problem}")

    def _complete(self, messages: list[dict[str, str]], deadline: float | None) -> str:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise SeatTimeout()
        body = json.dumps(
            {"model": self.model, "messages": messages, "temperature": self.temperature}
        ).encode()
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        self.calls += 1
        try:
            with urllib.request.urlopen(request, timeout=left) as response:
                data = response.read(MAX_RESPONSE + 1)
        except TimeoutError:
            raise SeatTimeout() from None
        except urllib.error.HTTPError as err:
            raise ReplyError(f"the model endpoint answered HTTP {err.code}") from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            if isinstance(reason, TimeoutError):
                raise SeatTimeout() from None
            raise ReplyError(f"the model endpoint cannot be reached: {reason}") from None
        if len(data) > MAX_RESPONSE:
            raise ReplyError("the model endpoint's answer is over 1 MiB")
        try:
            doc = json.loads(data)
            text = doc["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise ReplyError("the model endpoint's answer is not a chat completion") from None
        if not isinstance(text, str):
            raise ReplyError("the model endpoint's answer has no text")
        return text
