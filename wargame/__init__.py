"""A tabletop policy wargame engine: Washington, Tokyo and Seoul in the terminal."""

__version__ = "0.1.0"
