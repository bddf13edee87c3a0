"use strict"; delete x
