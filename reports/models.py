"""Report types, reports and their versions (see the reports issue)."""
