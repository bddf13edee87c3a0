"use strict"; with (a) {}
