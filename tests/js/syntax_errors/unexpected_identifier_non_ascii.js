a ñ
