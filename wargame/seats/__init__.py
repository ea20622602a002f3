"""Seats for programs: the seat protocol, agents over stdio, LLM seats (docs/agents.md).

Above the engine: builds every message from `Game.view(role)` and `Game.legal_actions`.
"""
