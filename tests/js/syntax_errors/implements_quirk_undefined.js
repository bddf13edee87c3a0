a implements
