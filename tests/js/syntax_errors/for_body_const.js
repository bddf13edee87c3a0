for (;;) const x = 1
