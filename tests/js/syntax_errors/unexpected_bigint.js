a 10n
