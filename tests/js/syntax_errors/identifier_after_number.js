3in x
