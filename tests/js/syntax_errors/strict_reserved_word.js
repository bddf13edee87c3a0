"use strict"; var public = 1
