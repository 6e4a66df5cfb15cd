from pankg.cli import main

main()
