switch (a) { case 1 }
