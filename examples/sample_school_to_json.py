"""Build the demo school through the public API and write each aggregate as a JSON document.

Run: python examples/sample_school_to_json.py [OUTPUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from devcycle.demo import build_demo
from devcycle.serialization import dumps

output = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
sample = build_demo(2026)
for cycle in sample.cycles:
    (output / f"{cycle.id}.json").write_text(dumps(cycle), encoding="utf-8")
closed = [c.id for c in sample.cycles if c.is_closed]
print(f"{len(sample.cycles)} cycles written to {output} (closed: {', '.join(closed)})")
