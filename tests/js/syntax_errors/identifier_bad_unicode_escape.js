\u0030abc = 1
