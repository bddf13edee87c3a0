a "s"
