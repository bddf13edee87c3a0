x = a ? b ; c
