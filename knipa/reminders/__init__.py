# Rows a reminder worker claims at a time (`knipa worker --batch`). Each batch costs a handful of
# round trips to the database (the claim, which waits for the disk, the reads, the subscriptions'
# last push): 100 rows spread them thinner than 50 (11% more sends a second in one worker,
# measured interleaved with 50 and 200), and still take well under a second to send. Here rather
# than in dispatcher.py so that the command line can show it before Django is set up.
BATCH = 100
