for (a;
b
) {}
