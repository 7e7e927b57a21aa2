"""The timing loop shared by the benchmark scripts next to this file."""
import time


def best_ms(step, rounds, steps=1, warmup=1):
    """Milliseconds per call of ``step``: the best over ``rounds`` rounds
    of ``steps`` calls each, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        step()
    best = float('inf')
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        best = min(best, (time.perf_counter() - start) / steps)
    return best * 1e3
