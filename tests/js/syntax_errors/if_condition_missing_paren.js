if (a b) {}
