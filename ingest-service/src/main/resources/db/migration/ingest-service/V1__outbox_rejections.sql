-- ingest-service's own tables (its schema: `ingest` in one-command mode, see docs/design.md).

-- The two tables every service with an outbox has in its own schema.
create table outbox (
  id         bigserial primary key,
  event_type text        not null,
  payload    text        not null,
  created_at timestamptz not null default now(),
  sent_at    timestamptz,
  error      text
);
create index outbox_pending_idx on outbox (id) where sent_at is null and error is null;

create table processed_event (
  event_id     text primary key,
  processed_at timestamptz not null default now()
);

-- One row per rejection whose DataRejected is in the outbox (keyed by the event's id, which comes
-- from its natural key): the start-up sweep of quarantine areas records a quarantined input whose
-- row is missing (the service died between the move and the record), and never records one twice.
create table rejection (
  event_id       text        primary key,
  dataset        text        not null,
  reason_code    text        not null,
  quarantine_uri text,
  rejected_at    timestamptz not null,
  recorded_at    timestamptz not null default now()
);
