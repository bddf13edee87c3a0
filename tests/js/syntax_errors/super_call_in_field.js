class A extends B { x = super() }
