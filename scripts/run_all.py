"""Start everything in the Procfile with honcho (prefixed logs; Ctrl-C stops all), allowing Rasa time to stop.

Rasa needs about 8 seconds to shut down after SIGTERM; honcho's fixed 5-second grace period would kill it first,
so it is raised here before honcho's own command line runs.
"""

import sys

import honcho.manager
from honcho.command import main

honcho.manager.KILL_WAIT = 30

if __name__ == "__main__":
    sys.argv = ["honcho", "start", "-f", "Procfile", *sys.argv[1:]]
    main()
