if (1) let [a] = b
