a #priv
