function* g() { var yield; }
