a let
