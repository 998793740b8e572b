"""`make bench`: the benchmarks arrive with their issue; for now, say so plainly."""

print("No benchmarks yet: see issue 10.")
