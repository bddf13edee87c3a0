x = {get a}
