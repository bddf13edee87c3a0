a this
