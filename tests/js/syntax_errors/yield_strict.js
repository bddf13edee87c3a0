"use strict"; yield
