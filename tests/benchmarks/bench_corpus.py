"""Corpus benchmark: scan_text over a folder of real documents; what would block, what would warn, how fast.

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_corpus.py PATH \
        [--glob '*.md'] [--limit N] [--show 40] [--examples 2] [--json OUT]

PATH is a folder or a git checkout (.git is skipped). Documents: .md, .txt (UTF-8 or GB 18030),
.html/.htm (tags stripped with workflows.checks.html_to_text), .docx and .pdf (the attachment
extractors), in path order. Everything happens in a throw-away test database, as in
bench_scanner.py, so the lexicon seeded by the migrations is the one used.

Printed: documents and MB scanned (UTF-8 bytes of the extracted text), CPU seconds of scan_text and
MB per CPU-second; the blocked documents with each blocking finding in context; the documents that
only warn (count and share); the top findings per (category, term, severity) with counts and example
contexts; and a masking check: documents where mask_personal_data changed text outside the spans
reported as blocking personal data. Issue 12's targets on law texts: none blocked, at most 3% warned.
--json writes the figures, per-term counts and the warned documents with their terms, so two runs
can be compared.
"""

import argparse
import io
import json
import os
import sys
import time
from collections import Counter, defaultdict
from fnmatch import fnmatch
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from tests.benchmarks import bench_db  # noqa: E402

bench_db.setup_django()

EXTENSIONS = (".md", ".txt", ".html", ".htm", ".docx", ".pdf")
TARGET_WARNED_SHARE = 0.03


def document_paths(root, pattern, limit):
    """Files under `root` with a known extension (and matching `pattern`), .git skipped, in path order."""
    if root.is_file():
        return [root]
    paths = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != ".git")
        for name in sorted(files):
            if name.lower().endswith(EXTENSIONS) and (pattern is None or fnmatch(name, pattern)):
                paths.append(Path(directory) / name)
    paths.sort()
    return paths[:limit] if limit else paths


def document_text(path):
    from workflows.checks import html_to_text
    from workflows.checks.attachments import _docx_text, _pdf_text, _plain_text

    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".docx":
        return _docx_text(io.BytesIO(data))
    if suffix == ".pdf":
        return _pdf_text(io.BytesIO(data))
    text = _plain_text(io.BytesIO(data))
    return html_to_text(text)[0] if suffix in (".html", ".htm") else text


def in_context(finding):
    return f"{finding.context_before}【{finding.matched}】{finding.context_after}"


def masking_changes_outside(text, findings):
    """Offset of the first change mask_personal_data made outside the blocking personal-data findings, or None.

    The text between those findings must come back unchanged and in order; what replaces a finding
    may have another length (e-mail addresses are shortened).
    """
    from workflows.checks import BLOCK, mask_personal_data

    masked = mask_personal_data(text)
    spans = sorted((f.start, f.end) for f in findings if f.category == "personal_data" and f.severity == BLOCK)
    kept, previous = [], 0
    for start, end in spans:
        kept.append((previous, start))
        previous = end
    kept.append((previous, len(text)))
    position = 0
    for index, (start, end) in enumerate(kept):
        piece = text[start:end]
        if index == 0:
            found = 0 if masked.startswith(piece) else -1
        elif index == len(kept) - 1:
            found = len(masked) - len(piece) if masked.endswith(piece) else -1
            found = found if found >= position else -1
        else:
            found = masked.find(piece, position)
        if found < 0:
            return start
        position = found + len(piece)
    return None


class Tally:
    def __init__(self, examples):
        self.examples = examples
        self.documents = self.megabytes = self.cpu = self.wall = 0
        self.unreadable = []
        self.blocked = []  # (path, blocking findings)
        self.warned = []  # (path, terms)
        self.counts = Counter()
        self.document_counts = Counter()
        self.samples = defaultdict(list)
        self.masking_outside = []  # (path, offset, context)
        self.masked_documents = 0

    def add(self, name, text, findings):
        self.documents += 1
        blocking = [f for f in findings if f.severity == "block"]
        if blocking:
            self.blocked.append((name, blocking))
        elif findings:
            self.warned.append((name, sorted({f"{f.category}/{f.term}" for f in findings})))
        for key in {(f.category, f.term, f.severity) for f in findings}:
            self.document_counts[key] += 1
        for finding in findings:
            key = (finding.category, finding.term, finding.severity)
            self.counts[key] += 1
            samples = self.samples[key]
            if len(samples) < self.examples and all(path != name for path, _ in samples):
                samples.append((name, in_context(finding)))
        if any(f.category == "personal_data" and f.severity == "block" for f in findings):
            self.masked_documents += 1
        offset = masking_changes_outside(text, findings)
        if offset is not None:
            self.masking_outside.append((name, offset, text[max(0, offset - 20) : offset + 20].replace("\n", " ")))

    def as_json(self):
        return {
            "documents": self.documents,
            "megabytes": round(self.megabytes, 3),
            "cpu_seconds": round(self.cpu, 3),
            "mb_per_cpu_second": round(self.megabytes / self.cpu, 2) if self.cpu else None,
            "blocked": [
                {"path": name, "findings": [[f.category, f.term, in_context(f)] for f in findings]}
                for name, findings in self.blocked
            ],
            "warned": len(self.warned),
            "warned_documents": [{"path": name, "terms": terms} for name, terms in self.warned],
            "masking_changed_outside_personal_data": [name for name, _offset, _context in self.masking_outside],
            "unreadable": self.unreadable,
            "terms": [
                {
                    "category": category,
                    "term": term,
                    "severity": severity,
                    "findings": count,
                    "documents": self.document_counts[(category, term, severity)],
                    "examples": [context for _name, context in self.samples[(category, term, severity)]],
                }
                for (category, term, severity), count in self.counts.most_common()
            ],
        }


def scan_corpus(root, paths, tally):
    from workflows.checks import scan_text

    for path in paths:
        name = str(path.relative_to(root)) if path != root else path.name
        try:
            text = document_text(path)
        except Exception as error:  # noqa: BLE001 - an unreadable document is listed, not fatal
            tally.unreadable.append(f"{name}: {error}")
            continue
        cpu, wall = time.process_time(), time.perf_counter()
        findings = scan_text(text)
        tally.cpu += time.process_time() - cpu
        tally.wall += time.perf_counter() - wall
        tally.megabytes += len(text.encode("utf-8")) / 1_000_000
        tally.add(name, text, findings)


def report(tally, show):
    documents = tally.documents or 1
    print("Corpus benchmark")
    print(f"  documents scanned            {tally.documents:,} ({len(tally.unreadable)} unreadable)")
    print(f"  text                         {tally.megabytes:.1f} MB UTF-8")
    print(
        f"  scan_text                    {tally.cpu:.2f} s CPU, {tally.megabytes / tally.cpu if tally.cpu else 0:.1f} "
        f"MB per CPU-second ({tally.megabytes / tally.wall if tally.wall else 0:.1f} MB/s wall)"
    )
    print(f"  documents blocked            {len(tally.blocked):,} ({len(tally.blocked) / documents:.1%}; target none)")
    share = len(tally.warned) / documents
    flag = "ok" if share <= TARGET_WARNED_SHARE else f"above the {TARGET_WARNED_SHARE:.0%} target"
    print(f"  documents warned only        {len(tally.warned):,} ({share:.1%}; {flag})")
    print(
        f"  masking                      {tally.masked_documents:,} documents with personal data to mask; "
        f"{len(tally.masking_outside)} changed outside personal-data findings"
    )
    for name, offset, context in tally.masking_outside[:20]:
        print(f"    {name} @{offset}: {context}")
    for line in tally.unreadable[:20]:
        print(f"  unreadable: {line}")
    if tally.blocked:
        print("\nBlocked documents")
        for name, findings in tally.blocked:
            print(f"  {name}")
            for finding in findings:
                print(f"    {finding.category}/{finding.term}: {in_context(finding)}")
    print(f"\nTop {show} findings by (category, term, severity): findings, documents, examples")
    for (category, term, severity), count in tally.counts.most_common(show):
        documents_with = tally.document_counts[(category, term, severity)]
        print(f"  {count:7,} {documents_with:6,}  {category}/{term} [{severity}]")
        for name, context in tally.samples[(category, term, severity)]:
            print(f"                  {context}    — {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="folder or git checkout of documents")
    parser.add_argument("--glob", help="only file names matching this pattern, e.g. '*.md'")
    parser.add_argument("--limit", type=int, default=0, help="scan only the first N documents (path order)")
    parser.add_argument("--show", type=int, default=40, help="how many (category, term, severity) rows to print")
    parser.add_argument("--examples", type=int, default=2, help="example contexts per term")
    parser.add_argument("--json", type=Path, dest="json_out", help="write the figures and per-term counts here")
    args = parser.parse_args()
    root = args.path.resolve()
    if not root.exists():
        parser.error(f"{root} does not exist")

    with bench_db.benchmark_database("bench_corpus"):
        from workflows.checks import scan_text

        # Tables, automaton and patterns are built once per process: not part of the throughput.
        scan_text("机密★ http://t.cn/x 13812345678 a@b.cn")
        tally = Tally(args.examples)
        scan_corpus(root, document_paths(root, args.glob, args.limit), tally)
        report(tally, args.show)
        if args.json_out:
            args.json_out.write_text(json.dumps(tally.as_json(), ensure_ascii=False, indent=1), encoding="utf-8")
            print(f"\nwrote {args.json_out}")


if __name__ == "__main__":
    main()
