for (let.x of y);
