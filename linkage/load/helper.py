"""A helper process reading small sources for ``load/sources.py`` (run as
``python -m linkage.load.helper``; not for use by hand).

It reads the case (config and latest plausible time) from stdin once, then batches of source
indices until it receives ``None``, and answers each batch with the sources read, all pickled.
The pipe connects two processes of the same linkage run; nothing else writes to it.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys


def main() -> None:
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed, even while importing the readers, goes to stderr
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the run; its pipe ends us

    from linkage.load.sources import read_batch

    config, latest = pickle.load(requests)
    while (batch := pickle.load(requests)) is not None:
        pickle.dump(read_batch(config, latest, batch), answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()


if __name__ == "__main__":
    main()
