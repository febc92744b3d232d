-- API tokens expire (`create-token --days`); a token made before this has none and lasts
-- until it is revoked (`revoke-token`), its account locked or its password reset.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
