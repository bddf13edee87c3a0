f(a
  ;
