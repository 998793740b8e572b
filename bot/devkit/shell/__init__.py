"""`switchboard shell`: the real app in a terminal, with a built-in Slack stand-in."""
