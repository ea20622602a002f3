"""Network seats: `wargame host` (a game server), `wargame join` (a client) and the white cell.

codes      join codes: made with `secrets`, kept only as hashes
messages   the seat protocol's messages built from the engine's role views (CONTRACT.md)
table      one game at a host: seats, codes, rationale, umpire control entries, autosave
server     the aiohttp WebSocket server at ws://HOST:PORT/ws, limits per connection
"""
