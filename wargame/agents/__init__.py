"""Reinforcement-learning adapters: `wargame.agents.pettingzoo` (AEC and parallel, every seat
a learner) and `wargame.agents.gymnasium` (one seat, the others bots). Both need the
`agents` extra: `pip install 'wargame[agents]'`. See docs/agents.md.
"""
