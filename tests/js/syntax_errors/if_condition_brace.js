if (a {}
