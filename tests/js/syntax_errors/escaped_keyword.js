a \u0069f
