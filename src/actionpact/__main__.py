from __future__ import annotations

from actionpact.cli import main

main()
