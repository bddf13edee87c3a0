"\u12" + 1; foo
