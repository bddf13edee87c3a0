var a; let a;
