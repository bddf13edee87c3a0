x = async + async b
