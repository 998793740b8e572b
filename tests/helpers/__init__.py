"""What the tests share: the harness, the served processes, the flows many tests walk."""
