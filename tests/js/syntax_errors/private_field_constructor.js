class A { #constructor }
