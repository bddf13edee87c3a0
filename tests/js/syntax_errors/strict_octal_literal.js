"use strict"; 010
