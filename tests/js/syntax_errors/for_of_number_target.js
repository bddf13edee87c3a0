for (1 of x);
