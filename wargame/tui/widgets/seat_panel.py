"""Your seat: capital, approval, your public's favour toward the others, your objectives and
how you stand on each (from the engine's RoleView)."""

from __future__ import annotations

from textual.markup import escape
from textual.widgets import Static

from wargame.engine.content import Content
from wargame.engine.game import RoleView
from wargame.engine.resolve import format_value
from wargame.tui.labels import bar, role_name


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
    lines.append("[b]Objectives[/b]")
    kinds = {o.id: o for o in content.objectives if o.role == role}
    for obj in view.objectives:
        spec = kinds.get(obj.id)
        mark = "[$text-success]✔ holds[/]" if obj.holds else "[$text-error]✘ not yet[/]"
        if spec is not None and spec.points < 0:
            mark = "[$text-error]✘ happening[/]" if obj.holds else "[$text-success]✔ avoided[/]"
        how = ""
        if spec is not None:
            when = "each turn" if spec.scored == "each_turn" else "at the end"
            how = f" [dim]({spec.points:+d} {when}; {obj.points:+d} so far)[/]"
        lines.append(f"{mark} {escape(obj.text)}{how}")
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
