"use strict"; a interface
