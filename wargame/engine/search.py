"""The `search` bot: decoupled UCT over simultaneous moves, on determinized positions.

Every seat moves at once each turn, so a tree node holds, for each role, its own statistics
over its own moves (decoupled UCT): each role picks its move by UCB1 from its own numbers,
the joint move is resolved on the trace-free path, and each role is credited with its own
reward. The bot decides for one role, but searches as if every role did its best for itself.

What it may see: the public values and its own capital, as a player sees them. It may not
see other roles' capital or the game's future dice, so each iteration starts from a
*determinization* of the position: other roles' capital drawn uniformly over their
variable's range, chance rolled on the bot's own stream (information-set MCTS with one tree
shared by all determinizations; a node keys on the joint moves that led to it, not on the
state). Pending orders are never in a position at all.

Moves (`root_moves`): the deciding role considers passing, each legal affordable action
alone, the heuristic bot's choice and its prefixes, and that choice with its last order
swapped for, or joined by, each other affordable action; other roles consider passing and
the heuristic's choice for them and its prefixes. Below the root each role has its default
play (`Policies`) or passing.

An iteration descends the tree to a joint move not tried before, plays ROLLOUT_TURNS turns
of every role's default play, and scores each role by `projected` (its points so far plus
what its each-turn objectives would earn if things stayed as they are, and the heuristic's
small terms for approval and capital), scaled by the most its objectives can swing, plus the
designers' `ai` nudges for the move made. The decision (`_decide`) is the best-scoring
well-tried root move, but it overrules the heuristic's choice only when it wins by
CONFIDENCE standard errors.

Budget: iterations, not seconds, so a seed always gives the same decision: `search` uses
DEFAULT_BUDGET, `search:N` uses N (e.g. `--bot tokyo=search:50` for quick balance runs).
All its randomness comes from a stream derived from the game's generator, role and turn
(Playout.bot_rng), so it never shifts the game's own rolls. See docs/bots.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from wargame.engine.content import Action, Content
from wargame.engine.playout import Playout
from wargame.engine.rng import Rng
from wargame.engine.state import Order

DEFAULT_BUDGET = 200
"""Iterations a decision by default: about a second or less on a loaded 2-core machine."""

ROLLOUT_TURNS = 3
"""Turns of default play past a new node before the position is scored by `projected`."""

EXPLORATION = 0.1
"""UCB exploration constant, on rewards scaled to about [0, 1]."""

CONFIDENCE = 2.0
"""Standard errors by which the search's best move must beat the heuristic's to be played."""

MAX_ORDERS = 3

Move = tuple[Action, ...]


def projected(p: Playout, role: str) -> float:
    """A role's score if the game went on as it stands: points so far, plus every
    each-turn objective held now scoring for each turn left, plus a small term for the
    role's own approval and capital (the heuristic bot's tie-breaks)."""
    content = p.content
    env = p.env
    left = max(0, content.turns - p.turn + 1)
    total = float(p.scores()[role])
    for obj in content.each_turn_objectives:
        if obj.role == role and obj.when.fn(env, _never):
            total += obj.points * left
    return (
        total
        + 0.02 * float(env[f"{role}.approval"])
        + 0.05 * float(env[content.capital_name[role]])
    )


def score_scale(content: Content, role: str) -> float:
    """The most a role's objectives can swing its score: rewards are divided by this."""
    scale = 0.0
    for obj in content.objectives:
        if obj.role == role:
            scale += abs(obj.points) * (content.turns if obj.scored == "each_turn" else 1)
    return max(scale, 1.0)


def determinize(p: Playout, role: str, rng: Rng) -> Playout:
    """A copy of the position as `role` may believe it: other roles' capital drawn from
    their variable's range, and the dice rolled on `rng` rather than the game's."""
    q = p.copy(rng=rng)
    for other in p.content.role_ids:
        if other == role:
            continue
        name = p.content.capital_name[other]
        var = p.content.variables[name]
        q.env[name] = var.min + (var.max - var.min) * rng.random()
    return q


class Policy:
    """A role's default play, fixed at the root: its preferred actions in order (the
    heuristic bot's choice, then every other action that helps it on its own, best first).
    Each turn it orders the preferred actions that are legal and affordable then. Cheap
    enough for rollouts, and close to what the heuristic bot would do."""

    __slots__ = ("prefs",)

    def __init__(self, prefs: Sequence[Action]) -> None:
        self.prefs = tuple(prefs)

    def move(self, p: Playout, role: str) -> Move:
        legal = {a.key for a in p.legal(role)}
        capital = p.capital(role)
        chosen: list[Action] = []
        for a in self.prefs:
            if a.key in legal and a.cost <= capital:
                chosen.append(a)
                capital -= a.cost
                if len(chosen) == MAX_ORDERS:
                    break
        return tuple(chosen)


def policy_for(p: Playout, role: str, greedy: Move) -> Policy:
    """Rank the role's legal actions by what each does alone this turn (others passing,
    dice on the bot's stream), after the heuristic's choice `greedy`."""
    from wargame.engine.bots import value

    probe = p.copy(rng=p.bot_rng(role, "search-policy"))

    def worth(move: Move) -> float:
        q = probe.copy(rng=Rng(probe.rng.snapshot()))
        q.resolve({role: _orders(move)})
        return value(q, role)

    base = worth(())
    gains = [(worth((a,)) - base, i, a) for i, a in enumerate(p.legal(role)) if a not in greedy]
    better = [a for gain, _i, a in sorted(gains, key=lambda g: (-g[0], g[1])) if gain > 0]
    return Policy((*greedy, *better))


class Policies:
    """Each role's default play, reacting to the measures in force: a Policy is worked out
    (by `policy_for`, from the heuristic's choice) the first time a role meets a combination
    of flags, and reused for positions with the same flags. So a rollout's Tokyo answers a
    seizure, and restores a white list once removed, at the cost of a few policies a search."""

    __slots__ = ("_flags", "_known")

    def __init__(self, content: Content) -> None:
        self._flags = tuple(v.name for v in content.variables.values() if v.is_flag)
        self._known: dict[tuple[str, tuple[bool, ...]], Policy] = {}

    def move(self, p: Playout, role: str) -> Move:
        key = (role, tuple(bool(p.env[f]) for f in self._flags))
        policy = self._known.get(key)
        if policy is None:
            policy = self._known[key] = policy_for(p, role, heuristic_move(p, role))
        return policy.move(p, role)


def candidates(p: Playout, role: str) -> list[Move]:
    """Pass, then each legal affordable action alone, in content order."""
    return [(), *[(a,) for a in p.legal(role)]]


def heuristic_move(p: Playout, role: str) -> Move:
    from wargame.engine.bots import heuristic_bot

    by_key = {a.key: a for a in p.legal(role)}
    return tuple(by_key[o.key] for o in heuristic_bot(p, role) if o.key in by_key)


def root_moves(p: Playout, role: str, greedy: Move, wide: bool) -> list[Move]:
    """The moves a role is searched over at the root: pass, the heuristic bot's choice
    `greedy` and its prefixes; `wide` (the deciding role) also each legal action alone, and
    `greedy` with its last order swapped for, or joined by, each other affordable action."""
    legal = p.legal(role)
    capital = p.capital(role)
    moves: list[Move] = candidates(p, role) if wide else [()]
    variants: list[Move] = [greedy[:k] for k in range(1, len(greedy) + 1)]
    if greedy and wide:
        head, spent = greedy[:-1], sum(a.cost for a in greedy[:-1])
        for a in legal:
            if a in greedy:
                continue
            # Only moves intake takes whole: an order the earlier ones rule out does nothing.
            if spent + a.cost <= capital and p.legal(role, head, among=(a,)):
                variants.append((*head, a))
            if (
                len(greedy) < MAX_ORDERS
                and spent + greedy[-1].cost + a.cost <= capital
                and p.legal(role, greedy, among=(a,))
            ):
                variants.append((*greedy, a))
    seen = {_key(m) for m in moves}
    for m in variants:
        if _key(m) not in seen:
            seen.add(_key(m))
            moves.append(m)
    return moves


def _key(move: Move) -> tuple[str, ...]:
    return tuple(sorted(a.key for a in move))


class _Stats:
    """One role's numbers at one node: visits, summed reward and summed squared reward
    for each move tried."""

    __slots__ = ("reward", "squares", "visits")

    def __init__(self) -> None:
        self.visits: dict[Move, int] = {}
        self.reward: dict[Move, float] = {}
        self.squares: dict[Move, float] = {}

    def add(self, move: Move, reward: float) -> None:
        self.visits[move] = self.visits.get(move, 0) + 1
        self.reward[move] = self.reward.get(move, 0.0) + reward
        self.squares[move] = self.squares.get(move, 0.0) + reward * reward

    def mean(self, move: Move) -> float:
        n = self.visits.get(move, 0)
        return self.reward[move] / n if n else -math.inf

    def error(self, move: Move) -> float:
        """The standard error of the move's mean reward (infinite below two visits)."""
        n = self.visits.get(move, 0)
        if n < 2:
            return math.inf
        mean = self.reward[move] / n
        var = max(0.0, self.squares[move] / n - mean * mean) * n / (n - 1)
        return math.sqrt(var / n)


class _Node:
    __slots__ = ("children", "stats", "visits")

    def __init__(self, roles: Sequence[str]) -> None:
        self.visits = 0
        self.stats = {r: _Stats() for r in roles}
        self.children: dict[tuple[Move, ...], _Node] = {}


def _select(stats: _Stats, moves: list[Move], visits: int, rng: Rng) -> Move:
    """UCB1 among the moves available now; an untried one first (the first in order, after
    a random start so equal cases do not always go the same way)."""
    seen = stats.visits
    untried = [m for m in moves if m not in seen]
    if untried:
        return untried[rng.below(len(untried))]
    log_n = math.log(max(visits, 1))
    best: Move = moves[0]
    best_score = -math.inf
    for m in moves:
        n = seen[m]
        score = stats.reward[m] / n + EXPLORATION * math.sqrt(log_n / n)
        if score > best_score:
            best, best_score = m, score
    return best


def search(p: Playout, role: str, budget: int = DEFAULT_BUDGET) -> tuple[Order, ...]:
    """The search bot's orders for `role` in position `p`, after `budget` iterations."""
    return _orders(considered(p, role, budget)[0][0])


def considered(
    p: Playout, role: str, budget: int = DEFAULT_BUDGET
) -> list[tuple[Move, int, float]]:
    """The root moves of `role` with how often each was tried and its mean scaled reward,
    the chosen one (most tried, then best mean) first."""
    content = p.content
    roles = content.role_ids
    rng = p.bot_rng(role, "search")
    view = determinize(p, role, rng.derive("view"))  # never the real dice or others' capital
    greedy = {r: heuristic_move(view, r) for r in roles}
    at_root = {r: root_moves(view, r, greedy[r], r == role) for r in roles}
    policies = Policies(content)
    mine = at_root[role]
    if len(mine) == 1:
        return [(mine[0], 0, 0.0)]
    scale = {r: score_scale(content, r) for r in roles}
    root = _Node(roles)
    for _ in range(budget):
        q = determinize(view, role, rng)
        node = root
        path: list[tuple[_Node, dict[str, Move]]] = []
        while not q.over:
            joint = {}
            for r in roles:
                moves = at_root[r] if node is root else [policies.move(q, r), ()]
                joint[r] = _select(node.stats[r], moves, node.visits, rng)
            path.append((node, joint))
            q.resolve({r: _orders(m) for r, m in joint.items()})
            key = tuple(joint[r] for r in roles)
            child = node.children.get(key)
            if child is None:
                node.children[key] = _Node(roles)
                break
            node = child
        # Rollout: every role plays its default policy.
        for _ in range(ROLLOUT_TURNS):
            if q.over:
                break
            q.resolve({r: _orders(policies.move(q, r)) for r in roles})
        rewards = {r: projected(q, r) / scale[r] for r in roles}
        for node, joint in path:
            node.visits += 1
            for r, m in joint.items():
                # The designers' `ai` nudges for the move, as the heuristic bot weighs them.
                nudge = sum(a.ai_weight for a in m) / scale[r]
                node.stats[r].add(m, rewards[r] + nudge)
    stats = root.stats[role]
    choice = _decide(stats, mine, greedy[role])
    ranked = sorted(mine, key=lambda m: (m != choice, -stats.visits.get(m, 0), -stats.mean(m)))
    return [(m, stats.visits.get(m, 0), stats.mean(m)) for m in ranked]


def _decide(stats: _Stats, moves: list[Move], default: Move) -> Move:
    """The best-scoring move among the well-tried ones (a quarter as many visits as the most
    tried), unless it beats the heuristic's `default` by less than CONFIDENCE standard errors:
    the search only overrules the heuristic when its evidence is clear."""
    most = max(stats.visits.get(m, 0) for m in moves)
    tried = [m for m in moves if stats.visits.get(m, 0) * 4 >= most]
    best = max(tried, key=lambda m: (stats.mean(m), stats.visits.get(m, 0)))
    if best == default or default not in stats.visits:
        return best
    margin = stats.mean(best) - stats.mean(default)
    noise = math.hypot(stats.error(best), stats.error(default))
    return best if margin > CONFIDENCE * noise else default


def _orders(move: Move) -> tuple[Order, ...]:
    return tuple(Order(a.id, a.target) for a in move)


def _never(p: float) -> bool:
    return False
