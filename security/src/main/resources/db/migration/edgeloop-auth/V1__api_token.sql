-- edgeloop API tokens, shared by every service that points at this database. Only the SHA-256 of a
-- token is kept; the secret is shown once, when it is issued.
create table edgeloop_auth.api_token (
  id            uuid primary key,
  name          text not null,
  token_sha256  char(64) not null unique,
  roles         text[] not null check (cardinality(roles) > 0),
  run_id        text,
  created_at    timestamptz not null,
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);

create index api_token_run on edgeloop_auth.api_token (run_id) where run_id is not null;
