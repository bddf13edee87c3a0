a = 1 + 2 * 3 - 4 / 5 % 6
b = 2 ** 3 ** 2
c = a && b || c, c2 = a ?? b ?? d
e = (a ?? b) || c
f = x ? y : z ? w : v
g = !a, ~b, -c, +d, typeof e, void 0, delete o.p
h = a << 1 >> 2 >>> 3 & 4 | 5 ^ 6
i = a == b != c === d !== e < f > g <= h >= i
j = 'x' in o, o instanceof C
k += 1; k -= 1; k *= 2; k /= 2; k %= 3; k **= 2; k <<= 1; k >>= 1; k >>>= 1
k &= 1; k |= 1; k ^= 1; k &&= 1; k ||= 1; k ??= 1
l = i++ + ++i - i-- - --i
m = (1, 2, 3)
n = a?.b?.[c]?.(d).e
