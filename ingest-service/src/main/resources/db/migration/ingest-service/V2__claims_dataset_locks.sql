-- Replicas: two ingest instances watching one share (or one blob container) share the inputs.

-- One row per input an instance is working on (key: source kind | location | name), taken before it
-- is read, renewed by the owner's heartbeat and deleted when the input is done. A row whose lease
-- ran out belongs to an instance that died: another one takes it over.
create table source_claim (
  claim_key   text        primary key,
  owner       text        not null,
  lease_until timestamptz not null,
  claimed_at  timestamptz not null default now()
);

-- One row per dataset, locked (select ... for update) while an instance numbers a new version,
-- stores it and rewrites the dataset's index.json in the store, or marks a version announced: so
-- two instances never take the same version number nor overwrite each other's index.
create table dataset_lock (
  dataset text primary key
);
