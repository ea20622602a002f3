"""The pure rules engine: no I/O, no UI, no YAML. See docs/rules-reference.md."""
