"""政务新媒体 registry: accounts, approvals, filings and update monitoring (see DESIGN.md)."""
