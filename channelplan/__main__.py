from channelplan.cli import main

main()
