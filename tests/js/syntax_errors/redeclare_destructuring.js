let [a, a] = [];
