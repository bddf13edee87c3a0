for (a + b in x);
