let a; let a;
