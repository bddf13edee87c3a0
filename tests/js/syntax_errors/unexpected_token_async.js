a async
