"""`rag-history serve` on one thread throughout (USE, numpy's BLAS, OpenMP, torch).

The product's encoder uses two BLAS threads and numpy's other matrix products all cores; this
measures the proposed change without editing embedding.py.

    python benchmarks/serve_variant.py --port 7861
"""

from __future__ import annotations

import argparse

from rag_history.assistant import Assistant
from rag_history.config import Settings
from rag_history.web.server import serve
from vectors import one_thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    assistant = Assistant.load(Settings.from_env(), build="never")
    one_thread(assistant.encoder)
    serve(assistant, host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
