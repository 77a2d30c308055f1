import sys

from ldn_desktop.cli import main

sys.exit(main())
