from ouhai_tracker.cli import main

main()
