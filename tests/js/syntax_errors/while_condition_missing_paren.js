while (a b) {}
