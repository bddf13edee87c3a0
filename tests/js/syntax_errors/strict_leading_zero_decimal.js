"use strict"; 08
