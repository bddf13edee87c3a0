let [a];
