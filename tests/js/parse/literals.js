n = [0, 1.5, .5, 5., 1e3, 1E-3, 0x1F, 0o17, 0b101, 010, 09, 1_000_000, 10n, 0xFFn]
s = ['single', "double", 'esc\n\t\x41\u0041\u{1F600}', 'line\
continuation', "\0"]
r = [/ab+c/gi, /[/]/, /\//, /a/dgimsuy]
q = a / b / c
z = [null, true, false, this, undefined]
