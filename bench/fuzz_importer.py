"""A mutation fuzzer for reading a story, the part of the import that needs no database.

`python -m bench.fuzz_importer --count 100000 --seed 1` builds inputs from the seed texts and from hand-written
hostile shapes (runs of initials, long capitalised runs, thousands of agreement words, long lines without a full
stop, deep brackets, combining marks, right-to-left text, NULs, CRLF, huge single words, repeated datelines and
date lines), mutates them (byte flips, splices, duplicated chunks up to parsing.MAX_FILE_BYTES, inserted trigger
words) and reads each one as the importer does: `parse_article` and then `find_entities`. A ParseError is the
documented refusal of bad input; any other exception is a crash. Most inputs are small; `--large` of them are
built at the size limit, where the reading must stay under half a second.

It prints a summary and writes the slowest and the crashing inputs to .bench/fuzz/ (git-ignored), with a
summary.json. Same seed, same inputs.
"""

from __future__ import annotations

import argparse
import heapq
import json
import multiprocessing
import os
import random
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from articles import starting_vocabulary
from articles.ingest import entities, parsing
from articles.ingest.entities import KnownAgreement, KnownOfficial, Vocabulary

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".bench" / "fuzz"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
LIMIT = parsing.MAX_FILE_BYTES
BUDGET_SECONDS = 0.5  # the slowest reading allowed for a file at the size limit
KEEP_SLOWEST = 20
KEEP_CRASHES = 50


class Timeout(Exception):
    """A reading that ran past --timeout: a hang, kept with the slowest inputs."""


def vocabulary() -> Vocabulary:
    """The starting vocabulary, as the importer would load it from a fresh database."""
    officials = [
        KnownOfficial(n, name, (), country, role)
        for n, (name, role, country) in enumerate(starting_vocabulary.OFFICIALS, 1)
    ]
    agreements = [
        KnownAgreement(n, name, (), kind, tuple(parties.split("; ")), subject, signed_on)
        for n, (name, kind, signed_on, parties, subject) in enumerate(starting_vocabulary.AGREEMENTS, 1)
    ]
    return Vocabulary(officials, agreements, {"Hind": "IN", "Bharat": "IN"})


# --- Shapes: text of about `size` characters -------------------------------------------------------------

TRIGGERS = [
    *("MoU", "MoUs", "agreement", "Agreement", "signed", "treaty", "Memorandum of Understanding", "(MoU)"),
    *("between India and Morocco", "came into force", "action plan", "Minister", "Prime Minister", "Dr.", "H.E."),
    *("Shri", "A.", "S.", "JD", "bin", "Al", "de", "Singh", "Rajnath Singh", "India", "Morocco", "Republic of"),
    *("Korea", "United States", "U.S.", "UAE", "Moroccan", "Hind", "date 2025-09-22", "September 22, 2025", "22"),
    *("Rabat [Morocco], September 22 :", "NEW DELHI:", "(ANI)", "–", "—", ",", ".", ". ", "\n", "\n\n", "(", ")"),
    *("\r\n", "\x00", "\u0301", "\u202e", "\u200f", "\ufeff", "مرحبا", "İ", "ſ", "ǅ", "Ъь", "\u2028", "…", "'s"),
]
CAPITALISED = "Rajnath Singh Abdellatif Loudiyi Anna Vries SATO Kenji O'Brien Al-Nahyan Marco Rubio".split()
COUNTRY_NAMES = ["India", "Morocco", "Korea", "Republic of Korea", "South Korea", "Congo", "Democratic Republic"]
COUNTRY_NAMES += ["the Congo", "Guinea", "Papua New Guinea", "Equatorial Guinea", "Niger", "Nigeria", "Sudan"]
COUNTRY_NAMES += ["South Sudan", "United States", "United Kingdom", "United Arab Emirates", "Georgia", "Jordan"]


def repeat(unit: str, size: int) -> str:
    return unit * max(1, size // max(1, len(unit)))


def pick_run(rng: random.Random, words: list[str], size: int, sep: str = " ") -> str:
    out, total = [], 0
    while total < size:
        word = rng.choice(words)
        out.append(word)
        total += len(word) + len(sep)
    return sep.join(out)


def initials(rng, size):
    unit = rng.choice(["A. ", "A. B. ", "K.P. ", "JD ", "S. ", "U.S. ", "H.E. ", "Ş. ", "A.B.C.D. "])
    return "India and Morocco met. " + repeat(unit, size) + "Singh spoke."


def capitalised_run(rng, size):
    return pick_run(rng, CAPITALISED + ["Minister", "Shri", "bin", "de", "Al"], size)


def agreement_words(rng, size):
    words = ["MoU", "agreement", "MoUs", "signed", "treaty", "Agreement", "(MoU)", "accord", "the", "a"]
    sep = rng.choice([" ", ". ", "\n", ", "])
    return "India and Morocco signed. " + pick_run(rng, words, size, sep)


def long_line(rng, size):
    return pick_run(rng, ["the", "ministers", "met", "in", "Rabat", "and", "India", "said", "on", "2025"], size)


def brackets(rng, size):
    depth = size // 4
    return "India (" * 3 + rng.choice(["(", "[", "([", "“("]) * depth + "MoU" + ")" * depth + " signed."


def combining(rng, size):
    return repeat(rng.choice(["A\u0301", "Rajnath\u0301\u0302 ", "e\u0301" * 5 + " ", "\u0301"]), size)


def right_to_left(rng, size):
    return repeat(rng.choice(["مرحبا بكم ", "\u202eIndia Morocco\u202c ", "שלום \u200f", "المغرب والهند. "]), size)


def nuls(rng, size):
    return repeat(rng.choice(["India met Morocco\x00 ", "\x00" + "a" * 20, "MoU\x00signed. "]), size)


def crlf(rng, size):
    return repeat(rng.choice(["India met Morocco.\r\n", "\r\n\r\n", "\r", "MoU signed\r\n\r\n"]), size)


def huge_word(rng, size):
    return rng.choice(["A", "a", "MoU", "India", "Á"]) + rng.choice(["a", "A", "a.", "-a", "'a", "a\u0301"]) * (
        size // 2
    )


def datelines(rng, size):
    unit = rng.choice(["Rabat [Morocco], September 22 : ", "NEW DELHI, May 12 (ANI) – ", "Rabat – ", "RABAT: "])
    return repeat(unit + rng.choice(["", "India and Morocco met.\n\n"]), size)


def date_lines(rng, size):
    unit = rng.choice(["date 2025-09-22\n", "September 22, 2025\n", "22 September 2025 ", "Sep. 2 "])
    return repeat(unit, size)


def country_run(rng, size):
    return pick_run(rng, COUNTRY_NAMES, size, rng.choice([" ", ", ", " and "]))


def titles(rng, size):
    words = ["Minister", "Defence", "Prime", "Secretary", "of", "State", "for", "External", "Affairs", "minister"]
    return pick_run(rng, words, size) + " Rajnath Singh spoke."


def sentences(rng, size):
    unit = rng.choice(
        [
            "India and Morocco signed an MoU. ",
            "Dr. Singh met Mr. Loudiyi. ",
            "A. B. signed. ",
            "The agreement was signed by India. ",
            "Rajnath Singh said. ",
            "They signed a Memorandum of Understanding (MoU) on defence between India and Morocco. ",
        ]
    )
    return repeat(unit, size)


def punctuation(rng, size):
    return repeat(rng.choice([". ", "... ", "!? ", ",", "–", ". A", ".\n", " . ", ".) ", "\n\n\n"]), size)


def seed_text(rng, size):
    return rng.choice(SEED_TEXTS)


SHAPES: dict[str, Callable[[random.Random, int], str]] = {
    function.__name__: function
    for function in (
        *(initials, capitalised_run, agreement_words, long_line, brackets, combining, right_to_left, nuls),
        *(crlf, huge_word, datelines, date_lines, country_run, titles, sentences, punctuation, seed_text),
    )
}
SEED_TEXTS = [path.read_text(encoding="utf-8") for path in SEEDS] or ["India and Morocco signed an MoU."]
ENCODINGS = ["utf-8"] * 8 + ["utf-16", "cp1252", "latin-1", "utf-8-sig"]


# --- Mutations over bytes ---------------------------------------------------------------------------------


def flip(rng, data: bytearray, limit: int):
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)


def insert_trigger(rng, data: bytearray, limit: int):
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, len(data))
        data[at:at] = rng.choice(TRIGGERS).encode()


def splice(rng, data: bytearray, limit: int):
    other = rng.choice(SEED_TEXTS).encode()
    first, last = sorted(rng.randint(0, len(other)) for _ in range(2))
    at = rng.randint(0, len(data))
    data[at:at] = other[first:last]


def duplicate(rng, data: bytearray, limit: int):
    if not data:
        return
    first = rng.randrange(len(data))
    last = min(len(data), first + rng.randint(1, 200))
    times = rng.randint(2, max(2, (limit - len(data)) // (last - first)))
    data[last:last] = bytes(data[first:last]) * (times - 1)


def delete(rng, data: bytearray, limit: int):
    if data:
        first = rng.randrange(len(data))
        del data[first : first + rng.randint(1, 64)]


def byte_insert(rng, data: bytearray, limit: int):
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(data))
        data[at:at] = bytes([rng.randrange(256)])


MUTATIONS = [flip, insert_trigger, splice, duplicate, delete, byte_insert]


def make_input(seed: int, index: int, large: bool) -> tuple[str, bytes]:
    """The index-th input of a run: its shape's name and its bytes, at most LIMIT of them."""
    rng = random.Random(seed * 1_000_003 + index)
    name = rng.choice(list(SHAPES))
    size = LIMIT - rng.randint(0, 1024) if large else rng.choice([64, 256, 512, 1024, 2048, 4096])
    text = SHAPES[name](rng, size)
    if large and len(text) < size // 2:  # a seed or a short shape: grown to the limit by repetition
        text = repeat(text + "\n\n", size)
    encoding = rng.choice(ENCODINGS)
    data = bytearray(text.encode(encoding, errors="replace"))
    # Large inputs get few mutations, so that the shape survives; small ones may be mutated out of shape.
    mutations = rng.choices(MUTATIONS, k=rng.randint(0, 2) if large else rng.randint(0, 5))
    for mutation in mutations:
        mutation(rng, data, LIMIT if large else 16 * 1024)
        if large:
            del data[LIMIT:]
    label = "+".join([name, *(m.__name__ for m in mutations)])
    return label, bytes(data[:LIMIT])


# --- Reading -------------------------------------------------------------------------------------------

_VOCABULARY: Vocabulary | None = None


def _on_alarm(signum, frame):
    raise Timeout


def read(data: bytes) -> str:
    """Read as the importer does; 'refused' or 'read'. Any other exception is a crash and propagates."""
    global _VOCABULARY
    if _VOCABULARY is None:
        _VOCABULARY = vocabulary()
    try:
        parsed = parsing.parse_article(data)
    except parsing.ParseError:
        return "refused"
    entities.find_entities(parsed.body, _VOCABULARY, parsed.published_on)
    return "read"


def run_one(task: tuple[int, int, bool, float]) -> dict:
    seed, index, large, timeout = task
    label, data = make_input(seed, index, large)
    signal.signal(signal.SIGALRM, _on_alarm)
    outcome, error = "read", None
    started = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        outcome = read(data)
    except Timeout:
        outcome = "timeout"
    except Exception as exc:  # noqa: BLE001 - every other exception is what the fuzzer looks for
        outcome = "crash"
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        error = f"{type(exc).__name__} at {where}: {str(exc)[:200]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    seconds = time.perf_counter() - started
    return {"index": index, "label": label, "large": large, "size": len(data), "seconds": seconds,
            "outcome": outcome, "error": error}  # fmt: skip


def retime(data: bytes, times: int = 3) -> float:
    """The best of a few readings, alone in this process: the figure to hold to the budget."""
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        read(data)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="inputs in all (default 100000)")
    parser.add_argument("--large", type=int, default=200, help="of which built at the 2 MiB limit (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds before a reading counts as a hang")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    large = set(random.Random(args.seed).sample(range(args.count), min(args.large, args.count)))
    tasks = [(args.seed, index, index in large, args.timeout) for index in range(args.count)]
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)

    started = time.perf_counter()
    counts = {"read": 0, "refused": 0, "crash": 0, "timeout": 0}
    slowest: list[tuple[float, int, dict]] = []  # a min-heap of the KEEP_SLOWEST slowest
    slowest_large: dict[str, dict] = {}  # per shape, the slowest reading at the limit
    crashes: dict[str, dict] = {}  # per kind of crash, its first input
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for done, result in enumerate(pool.imap_unordered(run_one, tasks, chunksize=32), 1):
            counts[result["outcome"]] += 1
            heapq.heappush(slowest, (result["seconds"], result["index"], result))
            if len(slowest) > KEEP_SLOWEST:
                heapq.heappop(slowest)
            if result["large"]:
                shape = result["label"].split("+")[0]
                if result["seconds"] > slowest_large.get(shape, {"seconds": -1})["seconds"]:
                    slowest_large[shape] = result
            if result["outcome"] == "crash" and len(crashes) < KEEP_CRASHES:
                crashes.setdefault(result["error"], result)
            if done % 10_000 == 0:
                so_far = f"{counts['crash']} crashes, {counts['timeout']} hangs, slowest {max(slowest)[0]:.2f} s"
                print(f"{done} inputs, {time.perf_counter() - started:.0f} s, {so_far}", file=sys.stderr)
    elapsed = time.perf_counter() - started

    def save(prefix: str, result: dict) -> str:
        label, data = make_input(args.seed, result["index"], result["large"])
        path = args.out / f"{prefix}-{result['index']}-{label}.txt"
        path.write_bytes(data)
        return path.name

    for rank, (_seconds, _index, result) in enumerate(sorted(slowest, key=lambda item: -item[0]), 1):
        result["file"] = save(f"slow{rank:02d}", result)
    for result in crashes.values():
        result["file"] = save("crash", result)
    # The slowest at the limit, read again alone: the worker's figure shares the cores with the other workers.
    worst_large = sorted(slowest_large.values(), key=lambda result: -result["seconds"])
    for result in worst_large[:5]:
        if result["outcome"] != "timeout":
            result["alone_seconds"] = retime(make_input(args.seed, result["index"], True)[1])
        result["file"] = save("large", result)
    summary = {
        "command": " ".join(["python -m bench.fuzz_importer", *(argv if argv is not None else sys.argv[1:])]),
        "inputs": args.count,
        "large_inputs": len(large),
        "seconds": round(elapsed, 1),
        **counts,
        "crashes": list(crashes.values()),
        "slowest": [result for _s, _i, result in sorted(slowest, key=lambda item: -item[0])],
        "slowest_large_by_shape": worst_large,
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))

    print(f"inputs {args.count} ({len(large)} at the {LIMIT // 1024} KiB limit), {elapsed:.0f} s")
    read_, refused, crash, hangs = (counts[key] for key in ("read", "refused", "crash", "timeout"))
    print(f"read {read_}, refused {refused}, crashes {crash}, hangs {hangs}")
    for error, result in crashes.items():
        print(f"  crash: {error} ({result['label']}, {result['size']} bytes) -> {result['file']}")
    top = summary["slowest"][0] if summary["slowest"] else None
    if top:
        print(f"slowest: {top['seconds']:.3f} s, {top['label']}, {top['size']} bytes")
    print("slowest at the limit, by shape (worker seconds; alone, best of 3):")
    for result in worst_large[:8]:
        alone = f"{result['alone_seconds']:.3f}" if "alone_seconds" in result else "-"
        print(f"  {result['seconds']:7.3f} s  alone {alone:>6}  {result['label']} ({result['outcome']})")
    worst_alone = max((result.get("alone_seconds", result["seconds"]) for result in worst_large[:5]), default=0.0)
    print(f"slowest at the limit read alone: {worst_alone:.3f} s (budget {BUDGET_SECONDS} s)")
    print(f"inputs written to {args.out}")
    return 1 if counts["crash"] or counts["timeout"] or worst_alone > BUDGET_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
