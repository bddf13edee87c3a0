a package
