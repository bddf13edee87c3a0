label: { label: 1 }
