import sys

from carbonshare.cli import main

sys.exit(main())
