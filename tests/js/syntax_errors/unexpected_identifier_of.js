a of
