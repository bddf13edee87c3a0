a ... b
