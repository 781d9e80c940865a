"""The pure-Python heart of the council: types, events, prompts, pipelines and rules (stdlib only)."""
