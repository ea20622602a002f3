from wargame.entry import main

raise SystemExit(main())
