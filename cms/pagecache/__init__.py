"""Full-page cache for anonymous public GET requests (docs/architecture.md, "Page cache")."""
