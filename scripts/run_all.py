"""Start everything in the Procfile with honcho (prefixed logs; Ctrl-C stops all), allowing Rasa time to stop.

Rasa needs about 8 seconds to shut down after SIGTERM; honcho's fixed 5-second grace period would kill it first,
so it is raised here before honcho's own command line runs.
"""

import subprocess
import sys
from pathlib import Path

import honcho.manager
from honcho.command import main

honcho.manager.KILL_WAIT = 30

if __name__ == "__main__":
    # A fresh machine shows a living dashboard: `trygg seed-demo --if-empty` migrates, imports the areas if none are
    # stored, and adds the clearly marked demo data only while the database has no concerns and no promises.
    subprocess.run([str(Path(sys.executable).with_name("trygg")), "seed-demo", "--if-empty"], check=True)  # noqa: S603
    sys.argv = ["honcho", "start", "-f", "Procfile", *sys.argv[1:]]
    main()
