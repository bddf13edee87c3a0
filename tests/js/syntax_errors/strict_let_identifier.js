"use strict"; a let
