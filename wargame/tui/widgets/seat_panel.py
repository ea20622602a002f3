"""Your seat: capital, approval, your public's favour toward the others, your objectives and
how you stand on each (from the engine's RoleView)."""

from __future__ import annotations

from textual.markup import escape
from textual.widgets import Static

from wargame.engine.content import Content
from wargame.engine.game import ObjectiveStanding, RoleView
from wargame.engine.resolve import format_value
from wargame.tui.labels import bar, role_name

STANDING_MARKS = {
    "met": "[$text-success]✔ met[/]",
    "on track": "[$text-success]✔ on track[/]",
    "at risk": "[$text-warning]⚠ at risk[/]",
    "missed": "[$text-error]✘ missed[/]",
}


def score_line(view: RoleView) -> str:
    """The running score: points already certain, and what end goals would add if the game
    ended now (the engine's banked points and standings; nothing counted before it is)."""
    banked = sum(o.points for o in view.objectives)
    pending = sum(o.worth for o in view.objectives
                  if o.scored == "at_end" and o.holds and o.standing != "met"
                  and o.standing != "missed")
    more = f" [dim]· {banked + pending:+d} if the game ended now[/]" if pending else ""
    return f"[b]Objectives[/b] · score [b]{banked:+d}[/b] so far{more}"


def objective_line(obj: ObjectiveStanding) -> str:
    """One objective: its standing in words, what it is worth and what it has banked."""
    penalty = obj.worth < 0
    if not obj.standing:  # a view without standings (a host's older message): say what holds
        mark = "[$text-success]✔ holds[/]" if obj.holds else "[$text-warning]⚠ not yet[/]"
        return f"{mark} {escape(obj.text)}"
    if obj.scored == "each_turn":
        how = f"{obj.worth:+d} each turn it {'happens' if penalty else 'holds'}"
        if obj.points:
            how += f"; {obj.points:+d} so far"
    else:
        how = f"{obj.worth:+d} if it holds at the end"
        if obj.standing in ("met", "missed") and obj.points:
            how += f"; {obj.points:+d} scored"
    return f"{STANDING_MARKS.get(obj.standing, obj.standing)} {escape(obj.text)} [dim]({how})[/]"


def seat_markup(view: RoleView, content: Content, news: bool = True) -> str:
    role = view.role
    values = view.values
    lines = [f"[b]{escape(role_name(role, content))}[/b] [dim](your seat)[/]"]
    lines.append(f"Capital   [b]{format_value(view.capital)}[/b] to spend this turn")
    approval = values.get(f"{role}.approval")
    if approval is not None:
        lines.append(f"Approval  {bar(float(approval))} [b]{format_value(approval)}%[/b]")
    for other in content.role_ids:
        fav = values.get(f"{role}.favorability.{other}")
        if fav is None:
            continue
        lines.append(f"Favour → {escape(role_name(other, content)):<10} {bar(float(fav))} "
                     f"[b]{format_value(fav)}%[/b]")
    lines.append("")
    lines.append(score_line(view))
    for obj in view.objectives:
        lines.append(objective_line(obj))
    if news and view.events:
        lines.append("")
        lines.append("[b]This quarter[/b]")
        for title, text in view.events:
            lines.append(f"• [b]{escape(title)}[/b] — {escape(text)}")
    return "\n".join(lines)


class SeatPanel(Static):
    DEFAULT_CSS = """
    SeatPanel { height: auto; padding: 0 1; }
    """

    def show(self, view: RoleView, content: Content) -> None:
        self.update(seat_markup(view, content))
