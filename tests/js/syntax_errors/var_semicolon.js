var;
