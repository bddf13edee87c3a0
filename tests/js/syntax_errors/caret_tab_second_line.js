a
	b c
