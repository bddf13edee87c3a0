class A { #a; #a; }
