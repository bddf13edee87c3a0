5.toString()
