a yield
