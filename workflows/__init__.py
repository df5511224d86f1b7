"""三审三校 review workflow, pre-publication checks and publication register (see DESIGN.md)."""
