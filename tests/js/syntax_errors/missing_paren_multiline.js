f(
  a
  b
)
