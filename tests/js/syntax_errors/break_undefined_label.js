while (1) { break foo; }
