this = 1
