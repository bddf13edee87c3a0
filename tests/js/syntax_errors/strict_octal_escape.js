"use strict"; "\01"
