throw;
