while (1) let x = 1
