"""The commands: Typer signatures in catalogue, questions, query and briefing (registered on the
one app by chuanyu.cli), and what they run in base and answers, which direct also calls."""
