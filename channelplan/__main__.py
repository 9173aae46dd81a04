from channelplan.entry import main

main()
