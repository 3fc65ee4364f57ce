from receptionist.cli.main import main

main()
