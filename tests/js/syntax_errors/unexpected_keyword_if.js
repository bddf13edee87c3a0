a if
