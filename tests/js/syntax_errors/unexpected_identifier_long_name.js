let foo bar;
