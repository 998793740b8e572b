"""The Slack side: the Bolt app, Block Kit, answers, notices, profiles, Slack's text and errors."""
