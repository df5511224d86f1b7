"""信息公开: disclosure catalogue, 索引号, working-day deadlines, requests, annual report (see DESIGN.md)."""
