class A { x = arguments }
