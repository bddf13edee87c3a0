let b = ;
