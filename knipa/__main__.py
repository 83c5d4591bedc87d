from knipa.cli import main

raise SystemExit(main())
