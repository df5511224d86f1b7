"""词库: terms for the pre-publication content scanner (workflows.checks), with import and export."""
