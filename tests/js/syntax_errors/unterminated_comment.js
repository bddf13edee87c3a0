/* abc
foo
