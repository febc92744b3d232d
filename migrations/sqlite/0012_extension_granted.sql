-- An extension may be approved for a shorter time than asked: the date granted.
ALTER TABLE extensions ADD COLUMN granted_due TEXT;
