let {...{a}} = x
